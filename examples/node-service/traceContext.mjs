// W3C Trace Context (https://www.w3.org/TR/trace-context/) for plain node:http: parse and propagate
// `traceparent` (version 00, future versions read as 00) and `tracestate` (list rules, 32 members max).
import { randomBytes } from 'node:crypto';

const OWS = /^[ \t]+|[ \t]+$/g;
const HEX2 = /^[0-9a-f]{2}$/;
const TRACEPARENT_00 = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const TRACESTATE_KEY = /^[a-z0-9][a-z0-9_\-*/@]{0,255}$/;
// Printable ASCII except ',' and '=', not ending in a space; leading spaces belong to the value.
const TRACESTATE_VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
export const MAX_TRACESTATE_MEMBERS = 32;
/** Bits of trace-flags this implementation understands: sampled (level 1) and random (level 2). */
const KNOWN_FLAGS = 0x01 | 0x02;

/**
 * @typedef {{ traceId: string, parentId: string, flags: number }} Traceparent
 * @typedef {{ traceId: string, spanId: string, parentId?: string, flags: number, tracestate: Array<[string, string]> }} SpanContext
 */

/** One traceparent header value to its fields, or undefined when the header must be ignored. */
export function parseTraceparent(raw) {
  if (typeof raw !== 'string') return undefined;
  const value = raw.replace(OWS, '');
  const version = value.slice(0, 2);
  if (!HEX2.test(version) || version === 'ff') return undefined;
  // Version 00 is exactly 55 characters; a later version may append fields after a '-'.
  if (version === '00' && value.length !== 55) return undefined;
  if (version !== '00' && value.length > 55 && value[55] !== '-') return undefined;
  const m = TRACEPARENT_00.exec(value.slice(0, 55));
  if (!m) return undefined;
  const [, , traceId, parentId, flagsHex] = m;
  if (/^0+$/.test(traceId) || /^0+$/.test(parentId)) return undefined;
  return { traceId, parentId, flags: parseInt(flagsHex, 16) };
}

/**
 * All tracestate header values (several headers form one list) to ordered members, or [] when the list is
 * invalid: a bad key or value or more than 32 members discard the whole header; a repeated key keeps its first value.
 */
export function parseTracestate(values) {
  const list = (Array.isArray(values) ? values : values === undefined ? [] : [values]).join(',');
  const members = [];
  const seen = new Set();
  for (const rawMember of list.split(',')) {
    const member = rawMember.replace(OWS, '');
    if (member === '') continue; // empty list members are allowed
    const eq = member.indexOf('=');
    if (eq <= 0) return [];
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (!TRACESTATE_KEY.test(key) || !TRACESTATE_VALUE.test(value)) return [];
    // The spec lets a receiver keep one of duplicated keys rather than discard the list: the first wins.
    if (seen.has(key)) continue;
    seen.add(key);
    members.push([key, value]);
    if (members.length > MAX_TRACESTATE_MEMBERS) return [];
  }
  return members;
}

export function formatTracestate(members) {
  return members.map(([k, v]) => `${k}=${v}`).join(',');
}

export function newTraceId() {
  let id;
  do id = randomBytes(16).toString('hex');
  while (/^0+$/.test(id));
  return id;
}

export function newSpanId() {
  let id;
  do id = randomBytes(8).toString('hex');
  while (/^0+$/.test(id));
  return id;
}

/** Header values as a list: node joins repeated headers, so read the raw distinct values. */
function headerValues(req, name) {
  const distinct = req.headersDistinct?.[name];
  if (distinct) return distinct;
  const joined = req.headers[name];
  return joined === undefined ? [] : [joined];
}

/**
 * The span context of an incoming request: continues the caller's trace when its traceparent is valid
 * (exactly one header), else starts a new trace and drops tracestate, as the processing model says.
 */
export function extractContext(req) {
  const parents = headerValues(req, 'traceparent');
  const parent = parents.length === 1 ? parseTraceparent(parents[0]) : undefined;
  if (!parent) {
    // A new trace: the random flag says our trace ID is random (level 2).
    return { traceId: newTraceId(), spanId: newSpanId(), flags: 0x01 | 0x02, tracestate: [] };
  }
  return {
    traceId: parent.traceId,
    parentId: parent.parentId,
    spanId: newSpanId(),
    flags: parent.flags & KNOWN_FLAGS,
    tracestate: parseTracestate(headerValues(req, 'tracestate')),
  };
}

/**
 * Headers for an outgoing call made inside `ctx`: our span is the caller's parent. `vendor` (a key and value)
 * is put first and the list is cut at 32 members from the right, as the tracestate mutation rules say.
 */
export function injectHeaders(ctx, childSpanId = ctx.spanId, vendor) {
  const headers = { traceparent: `00-${ctx.traceId}-${childSpanId}-${ctx.flags.toString(16).padStart(2, '0')}` };
  let members = ctx.tracestate;
  if (vendor) members = [vendor, ...members.filter(([k]) => k !== vendor[0])];
  members = members.slice(0, MAX_TRACESTATE_MEMBERS);
  if (members.length > 0) headers.tracestate = formatTracestate(members);
  return headers;
}
