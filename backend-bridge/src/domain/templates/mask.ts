/** Generic token typing: turns a message into masked tokens, with runs of variables collapsed to one `<*>`. */

export const WILDCARD = '<*>';

/** One message after typing: `tokens[i]` is the masked token, `values[i]` its text, `innerValues[i]` a key=value token's value. */
export interface MaskedMessage {
  tokens: string[];
  values: string[];
  /** Value of a key=value token whose mask keeps the key (`uid=<*>`); '' for every other token. */
  innerValues: string[];
  /** The tokens joined by a space: the exact-shape key. */
  key: string;
}

const CONST = 0;
const VAR = 1;
const KEYED = 2;
const DATE_WORD = 3;
const UNIT_WORD = 4;

const DATE_WORDS = new Set(
  (
    'mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday saturday sunday ' +
    'jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august ' +
    'september october november december am pm utc gmt'
  ).split(' ')
);

const UNIT_WORDS = new Set(
  (
    'b kb mb gb tb pb kib mib gib tib byte bytes bit bits ns us µs ms s sec secs second seconds min mins minute ' +
    'minutes h hr hrs hour hours day days % ops rps qps'
  ).split(' ')
);

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Brackets and quotes that wrap a value without being part of it. */
function isLeadingAffix(c: number): boolean {
  return c === 40 || c === 91 || c === 123 || c === 60 || c === 39 || c === 34 || c === 35;
}

function isTrailingAffix(c: number): boolean {
  return (
    c === 41 ||
    c === 93 ||
    c === 125 ||
    c === 62 ||
    c === 44 ||
    c === 59 ||
    c === 58 ||
    c === 46 ||
    c === 39 ||
    c === 34 ||
    c === 40
  );
}

/** A key of key=value / key:value: no digits, starts with a letter or underscore. */
function isKey(text: string, start: number, end: number, allowDots: boolean): boolean {
  if (end <= start) return false;
  const first = text.charCodeAt(start);
  if (!isLetter(first) && first !== 95) return false;
  for (let i = start + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) return false;
    if (!allowDots && (c === 46 || c === 47)) return false;
  }
  return true;
}

/** Word with a single digit among ≥2 letters (ssh2, SOCKS5, jk2_init): a name, not a value. */
function isVersionedName(text: string, start: number, end: number): boolean {
  if (!isLetter(text.charCodeAt(start))) return false;
  let digits = 0;
  let letters = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (isLetter(c)) letters++;
    else if (c !== 95) return false;
  }
  return digits === 1 && letters >= 2;
}

/** Reusable scratch space so typing a line allocates only its outputs. */
export class MessageMasker {
  private kinds = new Uint8Array(64);
  private keyedMask: string[] = [];
  private keyedValue: string[] = [];
  private coreStart = new Int32Array(64);
  private coreEnd = new Int32Array(64);

  mask(message: string): MaskedMessage {
    const raw = splitWhitespace(message);
    const n = raw.length;
    if (this.kinds.length < n) {
      this.kinds = new Uint8Array(n * 2);
      this.coreStart = new Int32Array(n * 2);
      this.coreEnd = new Int32Array(n * 2);
    }
    const kinds = this.kinds;
    let sawWord = false;
    for (let i = 0; i < n; i++) {
      const kind = this.classify(raw[i] as string, i);
      kinds[i] = kind;
      if (kind >= DATE_WORD) sawWord = true;
    }
    if (sawWord) resolveContextWords(kinds, n);

    const tokens: string[] = [];
    const values: string[] = [];
    const innerValues: string[] = [];
    let key = '';
    let i = 0;
    while (i < n) {
      const kind = kinds[i];
      const text = raw[i] as string;
      let token: string;
      if (kind === VAR) {
        let j = i + 1;
        while (j < n && kinds[j] === VAR) j++;
        const first = this.coreStart[i] ?? 0;
        if (j === i + 1) {
          values.push(text.slice(first, this.coreEnd[i]));
        } else {
          const last = raw[j - 1] as string;
          const parts = [text.slice(first)];
          for (let k = i + 1; k < j - 1; k++) parts.push(raw[k] as string);
          parts.push(last.slice(0, this.coreEnd[j - 1]));
          values.push(parts.join(' '));
        }
        innerValues.push('');
        token = WILDCARD;
        i = j;
      } else if (kind === KEYED) {
        token = this.keyedMask[i] as string;
        values.push(text);
        innerValues.push(this.keyedValue[i] as string);
        i++;
      } else {
        token = text;
        values.push(text);
        innerValues.push('');
        i++;
      }
      tokens.push(token);
      key = key.length === 0 ? token : key + ' ' + token;
    }
    return { tokens, values, innerValues, key };
  }

  private classify(text: string, index: number): number {
    const len = text.length;
    let hasDigit = false;
    let special = false;
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        hasDigit = true;
        break;
      }
      if (c === 47 || c === 64) special = true;
    }
    let start = 0;
    let end = len;
    while (start < end && isLeadingAffix(text.charCodeAt(start))) start++;
    while (end > start && isTrailingAffix(text.charCodeAt(end - 1))) end--;
    this.coreStart[index] = start;
    this.coreEnd[index] = end;
    if (start === end) return hasDigit || !isEmptyBrackets(text) ? CONST : VAR;
    const eq = text.indexOf('=', start);
    if (eq > start && eq < end && isKey(text, start, eq, true)) {
      return valueVaries(text, eq + 1, end, hasDigit) ? this.keyed(text, index, start, eq, end) : CONST;
    }
    if (hasDigit) {
      if (isVersionedName(text, start, end)) return CONST;
      const colon = text.indexOf(':', start);
      if (colon > start && colon < end - 1 && isKey(text, start, colon, false)) {
        return this.keyed(text, index, start, colon, end);
      }
      return VAR;
    }
    if (special && looksLikePathUrlOrEmail(text, start, end)) return VAR;
    if (looksLikeDomainName(text, start, end)) return VAR;
    const core = end - start <= 10 ? text.slice(start, end).toLowerCase() : '';
    if (core.length > 0) {
      if (DATE_WORDS.has(core)) return DATE_WORD;
      if (UNIT_WORDS.has(core)) return UNIT_WORD;
    }
    return CONST;
  }

  private keyed(text: string, index: number, start: number, sep: number, end: number): number {
    this.keyedMask[index] = text.slice(0, sep + 1) + WILDCARD + text.slice(end);
    this.keyedValue[index] = text.slice(sep + 1, end);
    return KEYED;
  }
}

/** A key=value value is masked when it holds a digit or is a path, URL, address or host name. */
function valueVaries(text: string, start: number, end: number, tokenHasDigit: boolean): boolean {
  if (start >= end) return false;
  if (tokenHasDigit) {
    for (let i = start; i < end; i++) if (isDigit(text.charCodeAt(i))) return true;
  }
  return looksLikePathUrlOrEmail(text, start, end) || looksLikeDomainName(text, start, end);
}

/** Absolute paths with two or more segments, URLs and e-mail addresses are values whatever their letters. */
function looksLikePathUrlOrEmail(text: string, start: number, end: number): boolean {
  const core = text.slice(start, end);
  if (core.includes('://')) return true;
  const at = core.indexOf('@');
  if (at > 0 && core.indexOf('.', at) > at + 1 && core.indexOf('@', at + 1) === -1) return true;
  if (core.charCodeAt(0) === 47 && core.length > 1) {
    const second = core.indexOf('/', 1);
    return second > 1 && second < core.length - 1;
  }
  return false;
}

/** `()`, `[]`, `""`: an empty value printed in its brackets. */
function isEmptyBrackets(text: string): boolean {
  return text === '()' || text === '[]' || text === '{}' || text === '<>' || text === '""' || text === "''";
}

const TOP_LEVEL_DOMAINS = new Set(
  'com net org edu gov mil int io co uk de fr jp cn ru br in au ca eu us info biz local lan internal arpa'.split(' ')
);

/** Host names (two or more dots, ending in a top-level domain) are values; dotted code names like a.b.Class are not. */
function looksLikeDomainName(text: string, start: number, end: number): boolean {
  const lastDot = text.lastIndexOf('.', end - 1);
  if (lastDot <= start || end - lastDot > 5 || text.indexOf('.', start) === lastDot) return false;
  return TOP_LEVEL_DOMAINS.has(text.slice(lastDot + 1, end).toLowerCase());
}

/** Month/day names and units count as values only beside a numeric value (`Jul 9 22:53:19`, `12 ms`). */
function resolveContextWords(kinds: Uint8Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const k = kinds[i];
    if ((k === UNIT_WORD || k === DATE_WORD) && i > 0 && kinds[i - 1] === VAR) kinds[i] = VAR;
  }
  for (let i = n - 2; i >= 0; i--) {
    if (kinds[i] === DATE_WORD && kinds[i + 1] === VAR) kinds[i] = VAR;
  }
  for (let i = 0; i < n; i++) if (kinds[i] === UNIT_WORD || kinds[i] === DATE_WORD) kinds[i] = CONST;
}

/** Splits on runs of spaces and tabs, dropping empty tokens. */
export function splitWhitespace(message: string): string[] {
  const out: string[] = [];
  const len = message.length;
  let start = -1;
  for (let i = 0; i < len; i++) {
    const c = message.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      if (start >= 0) {
        out.push(message.slice(start, i));
        start = -1;
      }
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(message.slice(start));
  return out;
}
