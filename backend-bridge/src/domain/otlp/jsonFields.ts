import type { AttributeValue, Attributes } from './types.js';

/** A field that breaks the OTLP JSON mapping; the message names the field and the rule. */
export class OtlpFieldError extends Error {}

const MAX_ANY_VALUE_DEPTH = 32;
const HEX = /^[0-9a-fA-F]*$/;
const UNSIGNED_INTEGER = /^\d+$/;
const SIGNED_INTEGER = /^-?\d+$/;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Hex IDs (case-insensitive in OTLP JSON) to lowercase; undefined when absent or empty. */
export function decodeHexId(value: unknown, hexLength: number, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new OtlpFieldError(`${field} must be a hex string`);
  if (value.length !== hexLength || !HEX.test(value)) {
    throw new OtlpFieldError(`${field} must be ${hexLength} hex characters, got ${JSON.stringify(value.slice(0, 40))}`);
  }
  if (/^0+$/.test(value)) throw new OtlpFieldError(`${field} must not be all zeros`);
  return value.toLowerCase();
}

/** fixed64 nanoseconds (decimal string or JSON number) to microseconds; undefined when absent or zero. */
export function decodeUnixNanosAsMicros(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '' || value === 0 || value === '0') return undefined;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0 || !Number.isInteger(value)) {
      throw new OtlpFieldError(`${field} must be a non-negative integer`);
    }
    return Math.floor(value / 1000);
  }
  if (typeof value === 'string' && UNSIGNED_INTEGER.test(value)) {
    // BigInt keeps the nanoseconds exact until the division; microseconds fit a double for 285 years.
    return Number(BigInt(value) / 1000n);
  }
  throw new OtlpFieldError(`${field} must be an integer (nanoseconds since the epoch)`);
}

/** Protobuf enums in JSON: the integer or the enum value's name. */
export function decodeEnum(value: unknown, names: readonly string[], field: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < names.length) return value;
  if (typeof value === 'string') {
    const index = names.indexOf(value);
    if (index !== -1) return index;
  }
  throw new OtlpFieldError(`${field} must be one of 0..${names.length - 1} or ${names.join('|')}`);
}

export function decodeOptionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new OtlpFieldError(`${field} must be a string`);
  return value;
}

function decodeInt64(value: unknown, field: string): number | string {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && SIGNED_INTEGER.test(value)) {
    const asNumber = Number(value);
    // Beyond 2^53 a double would round, so the exact decimal text is kept.
    return Number.isSafeInteger(asNumber) ? asNumber : value;
  }
  throw new OtlpFieldError(`${field} must be an integer`);
}

function decodeDouble(value: unknown, field: string): number | string {
  if (typeof value === 'number') return value;
  // JSON mapping writes non-finite doubles as strings.
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw new OtlpFieldError(`${field} must be a number`);
}

/** AnyValue (oneof) to a plain value; an empty AnyValue is null. */
export function decodeAnyValue(value: unknown, field: string, depth = 0): AttributeValue {
  if (depth > MAX_ANY_VALUE_DEPTH) throw new OtlpFieldError(`${field} nests deeper than ${MAX_ANY_VALUE_DEPTH}`);
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) throw new OtlpFieldError(`${field} must be an AnyValue object`);
  if ('stringValue' in value) {
    if (typeof value.stringValue !== 'string') throw new OtlpFieldError(`${field}.stringValue must be a string`);
    return value.stringValue;
  }
  if ('boolValue' in value) {
    if (typeof value.boolValue !== 'boolean') throw new OtlpFieldError(`${field}.boolValue must be a boolean`);
    return value.boolValue;
  }
  if ('intValue' in value) return decodeInt64(value.intValue, `${field}.intValue`);
  if ('doubleValue' in value) return decodeDouble(value.doubleValue, `${field}.doubleValue`);
  if ('bytesValue' in value) {
    if (typeof value.bytesValue !== 'string') throw new OtlpFieldError(`${field}.bytesValue must be base64 text`);
    return value.bytesValue;
  }
  if ('arrayValue' in value) {
    const array = value.arrayValue;
    const values = isRecord(array) ? (array.values ?? []) : undefined;
    if (!Array.isArray(values)) throw new OtlpFieldError(`${field}.arrayValue.values must be an array`);
    return values.map((item, i) => decodeAnyValue(item, `${field}.arrayValue.values[${i}]`, depth + 1));
  }
  if ('kvlistValue' in value) {
    const kvlist = value.kvlistValue;
    const values = isRecord(kvlist) ? (kvlist.values ?? []) : undefined;
    return decodeKeyValues(values, `${field}.kvlistValue.values`, depth + 1);
  }
  return null;
}

function decodeKeyValues(list: unknown, field: string, depth: number): Attributes {
  const attributes: Attributes = {};
  if (list === undefined || list === null) return attributes;
  if (!Array.isArray(list)) throw new OtlpFieldError(`${field} must be an array of KeyValue`);
  for (let i = 0; i < list.length; i++) {
    const entry: unknown = list[i];
    if (!isRecord(entry) || typeof entry.key !== 'string') {
      throw new OtlpFieldError(`${field}[${i}] must be a KeyValue with a string key`);
    }
    attributes[entry.key] = decodeAnyValue(entry.value, `${field}[${i}].value`, depth);
  }
  return attributes;
}

/** repeated KeyValue to an object keyed by attribute name (later duplicates win). */
export function decodeAttributes(list: unknown, field: string): Attributes {
  return decodeKeyValues(list, field, 0);
}

export function decodeScope(scope: unknown): { name: string; version?: string } | undefined {
  if (!isRecord(scope) || typeof scope.name !== 'string' || scope.name === '') return undefined;
  return typeof scope.version === 'string' && scope.version !== ''
    ? { name: scope.name, version: scope.version }
    : { name: scope.name };
}

/** Reads an array field that may be absent; anything else than an array is a format error. */
export function optionalArray(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpFieldError(`${field} must be an array`);
  return value;
}

export function microsToIso(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString();
}

/** OTLP partial-success text: how many were refused and the first few reasons. */
export function summarizeRejections(rejected: readonly { path: string; reason: string }[], noun: string): string {
  const shown = rejected.slice(0, 5).map((r) => `${r.path}: ${r.reason}`);
  const more = rejected.length > shown.length ? `; and ${rejected.length - shown.length} more` : '';
  return `rejected ${rejected.length} ${noun}: ${shown.join('; ')}${more}`;
}
