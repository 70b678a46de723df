import { decodeBase64, ibanValid, luhnValid, rrnValid, shannonEntropy, ssnValid } from './checks.js';

/** A half-open character range [start, end) of a sensitive value inside a text. */
export interface MatchRange {
  start: number;
  end: number;
}

/** One built-in detector: a named pattern plus the checks that make a match trustworthy. */
export interface Detector {
  name: string;
  category: string;
  description: string;
  defaultEnabled: boolean;
  /** Lower wins when two detections overlap: specific structures beat generic ones. */
  priority: number;
  /** Cheap prefilter: at least one must occur in the text (case-sensitive). */
  needles?: readonly string[];
  /** Cheap prefilter: at least one must occur in the text, ignoring case (lower-case literals). */
  lowerNeedles?: readonly string[];
  /** Cheap prefilters on the text's statistics (see TextFeatures): it cannot match below these. */
  minDigitRun?: number;
  /** At least one of these TextFeatures marks must be present. */
  marks?: number;
  minTokenRun?: number;
  /** A cheap regex the text must match before the full detector runs. */
  test?: RegExp;
  find(text: string, out: MatchRange[], features: TextFeatures): void;
}

/** Most long token runs a text records for the entropy detector; later runs are found by a slower scan. */
const maxRuns = 32;

/**
 * Character-class statistics of a text from one pass over it, so detectors can skip texts they cannot match.
 * One reused instance per thread: reset() overwrites it.
 */
export class TextFeatures {
  /** Most digits in one run of digits joined by at most two separators (space - . ( ) % +). */
  digitRun = 0;
  /** Longest run of token characters [A-Za-z0-9+/_%-]. */
  tokenRun = 0;
  /** Marks seen: the *_SIGN, *_HEAD and *_SHAPE constants below. */
  marks = 0;
  /** Token runs of 16+ characters: start, end and character classes (1 digit, 2 upper, 4 lower) per run. */
  readonly runs = new Int32Array(maxRuns * 3);
  runCount = 0;
  /** More long runs than `runs` holds. */
  runsOverflow = false;

  reset(text: string): this {
    let digitRun = 0;
    let tokenRun = 0;
    let marks = 0;
    let digits = 0;
    let separators = 0;
    let dashDigits = 0;
    let group = 0;
    let cardDigits = 0;
    let digitState = false;
    let previousDigit = false;
    // Whether each number run started after a character that cannot precede a number (not [A-Za-z0-9_.+-]).
    let digitsClean = false;
    let dashClean = false;
    let cardClean = false;
    let tokenStart = 0;
    this.runCount = 0;
    this.runsOverflow = false;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      const k = charClass[c] ?? 0;
      // Letters are most characters: they only end a number run.
      if ((k & (UPPER | LOWER)) !== 0) {
        if (digitState) {
          if (previousDigit)
            marks |= numberShapes(digits, dashDigits, cardDigits + group, digitsClean, dashClean, cardClean);
          digits = 0;
          dashDigits = 0;
          group = 0;
          cardDigits = 0;
          digitState = false;
          previousDigit = false;
        }
        continue;
      }
      if ((k & DIGIT) !== 0) {
        if (digits === 0 || dashDigits === 0 || (group === 0 && cardDigits === 0)) {
          const clean = i === 0 || !isNumberNeighbour(text.charCodeAt(i - 1));
          // A Korean phone number run starts with 0.
          if (digits === 0) digitsClean = clean && c === 48;
          if (dashDigits === 0) dashClean = clean;
          if (group === 0 && cardDigits === 0) cardClean = clean;
        }
        digitState = true;
        previousDigit = true;
        separators = 0;
        if (++digits > digitRun) digitRun = digits;
        dashDigits++;
        group++;
        // capital, capital, digit, digit at a token start: an IBAN's head
        if (i - tokenStart === 3 && isDigit(text.charCodeAt(i - 1))) {
          const a = text.charCodeAt(i - 3);
          const b = text.charCodeAt(i - 2);
          if (a >= 65 && a <= 90 && b >= 65 && b <= 90) marks |= IBAN_HEAD;
        }
        continue;
      }
      // the first character after a digit: the number runs so far may have ended here
      if (previousDigit)
        marks |= numberShapes(digits, dashDigits, cardDigits + group, digitsClean, dashClean, cardClean);
      if ((k & DIGIT_SEPARATOR) === 0 || ++separators > 2) {
        digits = 0;
        separators = 0;
      }
      if (digitState) {
        if (c !== 45 || !previousDigit) dashDigits = 0;
        // a card group ends: counting goes on only after a 4-digit group (or 4 then 6)
        const joins = (c === 32 || c === 45) && previousDigit;
        cardDigits = joins && (group === 4 || (group === 6 && cardDigits === 4)) ? cardDigits + group : 0;
        group = 0;
        if (!joins && dashDigits === 0 && digits === 0) digitState = false;
      }
      previousDigit = false;
      if ((k & MARK) !== 0) {
        if (c === 64) marks |= AT_SIGN;
        else if (c === 43) marks |= PLUS_SIGN;
        else if (c === 37) marks |= PERCENT_SIGN;
        else if (c === 58) {
          if (text.charCodeAt(i + 1) === 47 && text.charCodeAt(i + 2) === 47) marks |= SCHEME_SEPARATOR;
        } else if (c === 45 && text.charCodeAt(i + 1) === 45 && text.startsWith('-----BEGIN ', i)) marks |= PEM_DASHES;
      }
      if ((k & TOKEN) !== 0) continue;
      if (i - tokenStart >= 16) marks |= this.recordRun(text, tokenStart, i);
      if (i - tokenStart > tokenRun) tokenRun = i - tokenStart;
      tokenStart = i + 1;
    }
    if (previousDigit) marks |= numberShapes(digits, dashDigits, cardDigits + group, digitsClean, dashClean, cardClean);
    if (n - tokenStart >= 16) marks |= this.recordRun(text, tokenStart, n);
    if (n - tokenStart > tokenRun) tokenRun = n - tokenStart;
    // JWTs start `eyJ` and are long token runs: look only when one exists.
    if (tokenRun >= 16 && text.includes('eyJ')) marks |= JWT_HEAD;
    this.digitRun = digitRun;
    this.tokenRun = tokenRun;
    this.marks = marks;
    return this;
  }

  /** Keeps a long token run with its character classes; returns the marks its shape earns. */
  private recordRun(text: string, start: number, end: number): number {
    let classes = 0;
    for (let j = start; j < end; j++) classes |= charClass[text.charCodeAt(j)] ?? 0;
    classes &= DIGIT | UPPER | LOWER;
    const r = this.runCount;
    if (r < maxRuns) {
      this.runs[r * 3] = start;
      this.runs[r * 3 + 1] = end;
      this.runs[r * 3 + 2] = classes;
      this.runCount = r + 1;
    } else this.runsOverflow = true;
    return end - start >= 20 ? tokenShapes(classes) : 0;
  }
}

export const AT_SIGN = 1;
export const PLUS_SIGN = 2;
export const PERCENT_SIGN = 4;
export const SCHEME_SEPARATOR = 8;
export const PEM_DASHES = 16;
export const JWT_HEAD = 32;
export const IBAN_HEAD = 64;
/** 13-19 digits printed like a card. */
export const CARD_SHAPE = 128;
/** 13 digits, contiguous or with dashes. */
export const RRN_SHAPE = 256;
/** 9 digits joined by dashes. */
export const SSN_SHAPE = 512;
/** 9-11 digits joined by phone separators, starting with 0 (Korean numbers). */
export const PHONE_SHAPE = 1024;
/** A run of 20+ token characters with digits, capitals and lower case (vendor API keys). */
export const MIXED_RUN = 2048;
/** A run of 20+ token characters of capitals (and digits), no lower case (AWS key IDs). */
export const UPPER_RUN = 4096;

function tokenShapes(classes: number): number {
  const c = classes & (DIGIT | UPPER | LOWER);
  return c === (DIGIT | UPPER | LOWER) ? MIXED_RUN : c === (DIGIT | UPPER) || c === UPPER ? UPPER_RUN : 0;
}

/** Marks for the number runs that end at one character (called once per digit group, not per character). */
function numberShapes(
  digits: number,
  dashDigits: number,
  cardDigits: number,
  digitsClean: boolean,
  dashClean: boolean,
  cardClean: boolean
): number {
  let marks = 0;
  if (cardClean && cardDigits >= 13 && cardDigits <= 19) marks |= CARD_SHAPE;
  if (dashClean && dashDigits === 13) marks |= RRN_SHAPE;
  else if (dashClean && dashDigits === 9) marks |= SSN_SHAPE;
  if (digitsClean && digits >= 9 && digits <= 11) marks |= PHONE_SHAPE;
  return marks;
}

/** Characters that make a digit run part of a larger token (blk_-123..., v1.2, x9), so no card/ID/phone. */
function isNumberNeighbour(c: number): boolean {
  return isAlnum(c) || c === 95 || c === 46 || c === 45 || c === 43;
}

/** Options that tune the statistical detector (X2). */
export interface EntropyOptions {
  minLength: number;
  minBitsPerChar: number;
}

export const defaultEntropyOptions: EntropyOptions = { minLength: 20, minBitsPerChar: 3.3 };

// Words that make the key of a key/value pair a credential, whatever its case or separator.
export const builtinSensitiveKeyWords: readonly string[] = [
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'token',
  'api[_.-]?key',
  'access[_.-]?key',
  'secret[_.-]?key',
  'private[_.-]?key',
  'auth[_.-]?key',
  'signing[_.-]?key',
  'encryption[_.-]?key',
  'credentials?',
  'signature',
];

function scan(
  re: RegExp,
  text: string,
  out: MatchRange[],
  pick: (m: RegExpExecArray, text: string) => MatchRange | undefined
): void {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const range = pick(m, text);
    if (range !== undefined) out.push(range);
    if (m[0].length === 0) re.lastIndex++;
  }
}

/** Range of a captured value that ends the match (patterns never consume a closing quote). */
function trailingValue(m: RegExpExecArray, value: string): MatchRange {
  const end = m.index + m[0].length;
  return { start: end - value.length, end };
}

function wholeMatch(m: RegExpExecArray): MatchRange {
  return { start: m.index, end: m.index + m[0].length };
}

function firstDefined(m: RegExpExecArray, from: number): string | undefined {
  for (let i = from; i < m.length; i++) {
    const v = m[i];
    if (v !== undefined) return v;
  }
  return undefined;
}

const placeholderValue =
  /^(?:|null|nil|none|undefined|true|false|\*+|x{3,}|\[redacted.*|\[hash:.*|<redacted>|<hidden>|<masked>|\$\{.*|\{\{.*|[{[])$/i;

/** Values that are not secrets even under a sensitive key: empty, null, booleans, placeholders. */
export function isPlaceholderValue(value: string): boolean {
  return value.length < 64 && placeholderValue.test(value);
}

// Character classes as bit flags, looked up once per character.
const DIGIT = 1;
const UPPER = 2;
const LOWER = 4;
const TOKEN = 8;
const DIGIT_SEPARATOR = 16;
const MARK = 32;
// Indexed by UTF-16 code unit, so no range check is needed per character.
const charClass = new Uint8Array(65536);
for (let c = 48; c <= 57; c++) charClass[c] = DIGIT | TOKEN;
for (let c = 65; c <= 90; c++) charClass[c] = UPPER | TOKEN;
for (let c = 97; c <= 122; c++) charClass[c] = LOWER | TOKEN;
for (const ch of '+/_%-') charClass[ch.charCodeAt(0)] = (charClass[ch.charCodeAt(0)] ?? 0) | TOKEN;
for (const ch of '@+%:-') charClass[ch.charCodeAt(0)] = (charClass[ch.charCodeAt(0)] ?? 0) | MARK;
for (const ch of ' -.()%+') charClass[ch.charCodeAt(0)] = (charClass[ch.charCodeAt(0)] ?? 0) | DIGIT_SEPARATOR;

const isTokenChar = (c: number): boolean => ((charClass[c] ?? 0) & TOKEN) !== 0;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlnum = (c: number): boolean => ((charClass[c] ?? 0) & 7) !== 0;

// ---------------------------------------------------------------- e-mail
const emailLocal = (c: number): boolean => isAlnum(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
const emailDomain = (c: number): boolean => isAlnum(c) || c === 46 || c === 45;

const email: Detector = {
  name: 'email',
  category: 'email',
  description: 'e-mail addresses (local@domain.tld), also percent-encoded (local%40domain.tld) in URLs',
  defaultEnabled: true,
  priority: 20,
  marks: AT_SIGN | PERCENT_SIGN,
  find(text, out) {
    let at = nextAt(text, 0);
    while (at !== -1) {
      const width = text.charCodeAt(at) === 64 ? 1 : 3;
      let s = at;
      while (s > 0 && emailLocal(text.charCodeAt(s - 1))) s--;
      while (s < at && text.charCodeAt(s) === 46) s++;
      let e = at + width;
      while (e < text.length && emailDomain(text.charCodeAt(e))) e++;
      while (e > at + width && (text.charCodeAt(e - 1) === 46 || text.charCodeAt(e - 1) === 45)) e--;
      const dot = text.lastIndexOf('.', e - 1);
      if (s < at && dot > at + width && e - dot >= 3 && tld.test(text.slice(dot + 1, e))) {
        out.push({ start: s, end: e });
      }
      at = nextAt(text, e > at + width ? e : at + width);
    }
  },
};
const tld = /^[A-Za-z]{2,24}$/;

function nextAt(text: string, from: number): number {
  const a = text.indexOf('@', from);
  const b = text.indexOf('%40', from);
  return a === -1 ? b : b === -1 ? a : Math.min(a, b);
}

// ---------------------------------------------------------------- phones
const e164Re = /(?<![\w+])\+[1-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?![\w+]|[.-]\d)/g;
const phoneParamRe =
  /(?<![A-Za-z])(?:phone|tel|mobile|msisdn|cell)[A-Za-z_-]{0,12}=((?:%2B|\+)?(?:\d|%20|%28|%29|[-.()])+)/gi;
const phoneE164: Detector = {
  name: 'phone_e164',
  minDigitRun: 8,
  category: 'phone',
  description: 'international phone numbers in E.164 form (+CC ...), 8-15 digits, also percent-encoded after phone=',
  defaultEnabled: true,
  priority: 20,
  marks: PLUS_SIGN | PERCENT_SIGN,
  find(text, out) {
    scan(e164Re, text, out, (m) => {
      let digits = 0;
      for (let i = 0; i < m[0].length; i++) if (isDigit(m[0].charCodeAt(i))) digits++;
      return digits >= 8 && digits <= 15 ? wholeMatch(m) : undefined;
    });
    // In query strings a phone number arrives percent-encoded; its parameter name says what it is.
    scan(phoneParamRe, text, out, (m) => {
      const value = m[1] ?? '';
      const decoded = value.replace(/%2B/gi, '+').replace(/%20/g, ' ').replace(/%28/g, '(').replace(/%29/g, ')');
      const digits = decoded.replace(/[^0-9]/g, '').length;
      return /^(?:\+|\(?0)/.test(decoded) && digits >= 8 && digits <= 15 ? trailingValue(m, value) : undefined;
    });
  },
};

const krMobileRe = /(?<![\w.+-])01[016789](?:-\d{3,4}-\d{4}|\.\d{3,4}\.\d{4}| \d{3,4} \d{4}|\d{7,8})(?![\w]|[.-]\d)/g;
const krLandlineRe =
  /(?<![\w.+-])(?:\(0(?:2|[3-6][1-5]|70|50[2-8])\) ?|0(?:2|[3-6][1-5]|70|50[2-8])-)\d{3,4}-\d{4}(?![\w]|[.-]\d)/g;
const phoneKr: Detector = {
  name: 'phone_kr',
  marks: PHONE_SHAPE,
  category: 'phone',
  description: 'Korean mobile (010-1234-5678) and landline (02-123-4567, 031-123-4567, 070-...) numbers',
  defaultEnabled: true,
  priority: 21,
  find(text, out) {
    scan(krMobileRe, text, out, wholeMatch);
    scan(krLandlineRe, text, out, wholeMatch);
  },
};

// ---------------------------------------------------------------- national IDs
const rrnRe = /(?<![\w.-])(\d{6})-?([1-8]\d{6})(?![\w]|[.-]\d)/g;
const rrnKr: Detector = {
  name: 'rrn_kr',
  marks: RRN_SHAPE,
  category: 'rrn',
  description: 'Korean resident registration numbers (YYMMDD-GNNNNNC) with a valid date and check digit',
  defaultEnabled: true,
  priority: 18,
  find(text, out) {
    scan(rrnRe, text, out, (m) => {
      const digits = (m[1] ?? '') + (m[2] ?? '');
      // Without its dash a 13-digit number in the epoch-millisecond range is far more likely a timestamp.
      if (m[0].length === 13 && Number(digits) >= 1.4e12 && Number(digits) < 2.1e12) return undefined;
      return rrnValid(digits) ? wholeMatch(m) : undefined;
    });
  },
};

const ssnRe = /(?<![\w.-])(\d{3})-(\d{2})-(\d{4})(?![\w-]|\.\d)/g;
const ssnUs: Detector = {
  name: 'ssn_us',
  marks: SSN_SHAPE,
  category: 'ssn',
  description: 'US social security numbers (AAA-GG-SSSS) outside the never-issued ranges',
  defaultEnabled: true,
  priority: 19,
  find(text, out) {
    scan(ssnRe, text, out, (m) => (ssnValid(m[1] ?? '', m[2] ?? '', m[3] ?? '') ? wholeMatch(m) : undefined));
  },
};

// ---------------------------------------------------------------- payment cards
const cardRe = /(?<![\w.-])\d(?:[ -]?\d){12,18}(?![\w-]|[.,]\d)/g;
// Words just before a number that say it is an identifier, not a card (order 1234..., txn_id=...).
const idContext =
  /(?:^|[^a-z])(?:order|invoice|txn|transaction|trace|span|request|req|ref|reference|tracking|shipment|account|acct|user|customer|msisdn|imei|serial|id|no|num)\w*["']?\s*[:=#]?\s*["']?$|#\s*$/i;
const cardContext = /(?:card|pan|cc|ccnum|credit|debit|visa|mastercard|amex)/i;

function cardNetworkValid(d: string): boolean {
  const n = d.length;
  const p2 = Number(d.slice(0, 2));
  const p3 = Number(d.slice(0, 3));
  const p4 = Number(d.slice(0, 4));
  const p6 = Number(d.slice(0, 6));
  if (d[0] === '4') return n === 13 || n === 16 || n === 19; // Visa
  if (p2 >= 51 && p2 <= 55) return n === 16; // Mastercard
  if (p4 >= 2221 && p4 <= 2720) return n === 16; // Mastercard 2-series
  if (p2 === 34 || p2 === 37) return n === 15; // Amex
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649)) return n >= 16 && n <= 19; // Discover
  if (p6 >= 622126 && p6 <= 622925) return n >= 16 && n <= 19; // Discover co-brand
  if (p2 === 62 || p2 === 81) return n >= 16 && n <= 19; // UnionPay
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19; // JCB
  if (p2 === 36 || p2 === 38 || p2 === 39 || (p3 >= 300 && p3 <= 305) || p3 === 309) return n >= 14 && n <= 19; // Diners
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return n >= 12 && n <= 19; // Maestro
  if (p4 >= 2200 && p4 <= 2204) return n >= 16 && n <= 19; // Mir
  return false;
}

/** Separators, if any, are one kind and split the digits into the groups cards are printed in. */
function cardGroupingValid(raw: string): boolean {
  const sep = raw.indexOf(' ') !== -1 ? ' ' : raw.indexOf('-') !== -1 ? '-' : '';
  if (sep === '') return true;
  const groups = raw.split(sep);
  if (groups.some((g) => g.length === 0 || g.indexOf(sep === ' ' ? '-' : ' ') !== -1)) return false;
  const sizes = groups.map((g) => g.length).join(',');
  return /^(?:4,4,4,4(?:,[1-4])?|4,4,4,[1-4]|4,6,[45]|4,4,4,4,3)$/.test(sizes);
}

const card: Detector = {
  name: 'card',
  marks: CARD_SHAPE,
  category: 'card',
  description: 'payment card numbers (13-19 digits, optional space/dash grouping), known network, Luhn-valid',
  defaultEnabled: true,
  priority: 17,
  find(text, out) {
    scan(cardRe, text, out, (m, t) => {
      const raw = m[0];
      const digits =
        raw.length <= 19 && raw.indexOf(' ') === -1 && raw.indexOf('-') === -1 ? raw : raw.replace(/[ -]/g, '');
      if (digits.length < 13 || digits.length > 19) return undefined;
      if (!cardNetworkValid(digits) || !luhnValid(digits) || !cardGroupingValid(raw)) return undefined;
      const before = t.slice(Math.max(0, m.index - 24), m.index);
      if (idContext.test(before) && !cardContext.test(before)) return undefined;
      return wholeMatch(m);
    });
  },
};

// ---------------------------------------------------------------- IBAN
const ibanRe = /(?<![\w])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![\w])/g;
const iban: Detector = {
  name: 'iban',
  marks: IBAN_HEAD,
  category: 'iban',
  description: 'IBANs (compact or in groups of four) with a known country length and a valid mod-97 check',
  defaultEnabled: true,
  priority: 18,
  find(text, out) {
    scan(ibanRe, text, out, (m) => (ibanValid(m[0].replace(/ /g, '')) ? wholeMatch(m) : undefined));
  },
};

// ---------------------------------------------------------------- network addresses (off by default)
const ipv4Re =
  /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)/g;
const ipv4: Detector = {
  name: 'ipv4',
  category: 'ip',
  description: 'IPv4 addresses (off by default)',
  defaultEnabled: false,
  priority: 30,
  find(text, out) {
    scan(ipv4Re, text, out, (m, t) =>
      // `Chrome/124.0.0.0` is a product version, not an address.
      m.index >= 2 && t.charCodeAt(m.index - 1) === 47 && isAlnum(t.charCodeAt(m.index - 2)) ? undefined : wholeMatch(m)
    );
  },
};

const ipv6Re = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/g;
const hexGroup = /^[0-9A-Fa-f]{1,4}$/;

function ipv6Valid(s: string): boolean {
  const halves = s.split('::');
  if (halves.length > 2) return false;
  let groups = 0;
  for (const half of halves) {
    if (half === '') continue;
    for (const g of half.split(':')) {
      if (g.indexOf('.') !== -1) groups += 2;
      else if (hexGroup.test(g)) groups++;
      else return false;
    }
  }
  return halves.length === 2 ? groups <= 7 && s.length > 2 : groups === 8;
}

const ipv6: Detector = {
  name: 'ipv6',
  category: 'ip',
  description: 'IPv6 addresses (off by default)',
  defaultEnabled: false,
  priority: 30,
  test: /[0-9A-Fa-f]:[0-9A-Fa-f:]/,
  find(text, out) {
    scan(ipv6Re, text, out, (m) => (ipv6Valid(m[0]) ? wholeMatch(m) : undefined));
  },
};

// ---------------------------------------------------------------- tokens and keys
const jwtRe = /(?<![\w-])eyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*/g;
const jwt: Detector = {
  name: 'jwt',
  minTokenRun: 8,
  category: 'jwt',
  description: 'JSON Web Tokens (header.payload.signature, base64url)',
  defaultEnabled: true,
  priority: 10,
  marks: JWT_HEAD,
  find(text, out) {
    scan(jwtRe, text, out, wholeMatch);
  },
};

const authHeaderRe =
  /(?:proxy-)?authorization(?:\\?["'])?\s*[:=]\s*(?:\\"((?:[^"\\]|\\[^"])*)|"((?:[^"\\]|\\.)*)|'([^']*)|((?:(?:bearer|basic|digest|negotiate|token|bot|apikey|aws4-hmac-sha256|hmac|ntlm|sso-key)\s+)?[^\s"',;]+))/gi;
const bearerRe = /(?<![\w-])bearer\s+([A-Za-z0-9._~+/-]{12,}=*)/gi;
const basicRe = /(?<![\w-])basic\s+([A-Za-z0-9+/]{8,}={0,2})(?![\w+/=])/gi;

const authHeader: Detector = {
  name: 'auth_header',
  category: 'auth_credential',
  description: 'Authorization / Proxy-Authorization header values, and bearer or basic credentials anywhere',
  defaultEnabled: true,
  priority: 3,
  lowerNeedles: ['authorization', 'bearer', 'basic'],
  find(text, out) {
    scan(authHeaderRe, text, out, (m) => {
      const value = firstDefined(m, 1);
      return value === undefined || isPlaceholderValue(value) ? undefined : trailingValue(m, value);
    });
    scan(bearerRe, text, out, (m) => {
      const value = m[1] ?? '';
      return /\d/.test(value) || /[A-Z]/.test(value) ? trailingValue(m, value) : undefined;
    });
    scan(basicRe, text, out, (m) => {
      const value = m[1] ?? '';
      const decoded = decodeBase64(value);
      return decoded !== undefined && /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(decoded) ? trailingValue(m, value) : undefined;
    });
  },
};

const cookieRe =
  /(?<![\w-])(?:set-)?cookie(?:\\?["'])?\s*[:=]\s*(?:\\"((?:[^"\\]|\\[^"])*)|"((?:[^"\\]|\\.)*)|'([^']*)|([^\s;="\\]+=[^\s;"\\]*(?:;\s*[^\s;="\\]+=[^\s;"\\]*)*))/gi;
const cookieAttributes =
  /^(?:path|domain|expires|max-age|samesite|secure|httponly|priority|partitioned|version|comment)$/i;
const sessionishName = /(?:sess|sid|token|auth|jwt|login|remember|csrf|xsrf|identity|credential|secret|key)/i;

/** An opaque value: long enough, several character classes or high entropy; not a number or a word. */
function looksOpaque(v: string): boolean {
  if (v.length < 16) return false;
  const classes = (/\d/.test(v) ? 1 : 0) + (/[a-z]/.test(v) ? 1 : 0) + (/[A-Z]/.test(v) ? 1 : 0);
  return classes >= 2 && shannonEntropy(v) >= 3.3;
}

const cookie: Detector = {
  name: 'cookie',
  category: 'session',
  description: 'Cookie / Set-Cookie header values that carry sessions or credentials',
  defaultEnabled: true,
  priority: 4,
  lowerNeedles: ['cookie'],
  find(text, out) {
    scan(cookieRe, text, out, (m) => {
      const value = firstDefined(m, 1);
      if (value === undefined) return undefined;
      const base = trailingValue(m, value).start;
      let pos = 0;
      for (const part of value.split(';')) {
        const eq = part.indexOf('=');
        if (eq > 0) {
          const name = part.slice(0, eq).trim();
          let vStart = eq + 1;
          let vEnd = part.length;
          while (vStart < vEnd && part.charCodeAt(vStart) === 32) vStart++;
          while (vEnd > vStart && part.charCodeAt(vEnd - 1) === 32) vEnd--;
          const v = part.slice(vStart, vEnd);
          if (!cookieAttributes.test(name) && v.length > 0 && (sessionishName.test(name) || looksOpaque(v))) {
            out.push({ start: base + pos + vStart, end: base + pos + vEnd });
          }
        }
        pos += part.length + 1;
      }
      return undefined;
    });
  },
};

const sessionIdRe =
  /(?<![A-Za-z])(?:x-)?(?:session[_.-]?(?:id|key|token)?|sess[_.-]?id|jsessionid|phpsessid|aspsessionid\w*|connect\.sid|sid)(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?([A-Za-z0-9%._~+/=-]{8,})/gi;
const session: Detector = {
  name: 'session_id',
  category: 'session',
  description:
    'session identifiers in headers and key/value pairs (session_id, JSESSIONID, PHPSESSID, sid, X-Session-Id)',
  defaultEnabled: true,
  priority: 5,
  lowerNeedles: ['session', 'sessid', 'sess_id', 'sess-id', 'sess.id', 'sid'],
  find(text, out) {
    scan(sessionIdRe, text, out, (m) => {
      const value = m[1] ?? '';
      if (/^0x/i.test(value) || /^\d{1,9}$/.test(value) || !/\d/.test(value)) return undefined;
      return trailingValue(m, value);
    });
  },
};

const isSchemeChar = (c: number): boolean => isAlnum(c) || c === 43 || c === 46 || c === 45;
// Characters that end the user-info part of a URL.
const isUserinfoStop = (c: number): boolean =>
  c <= 32 || c === 47 || c === 63 || c === 35 || c === 34 || c === 39 || c === 60 || c === 62;

const urlCredentials: Detector = {
  name: 'url_credentials',
  category: 'url_credential',
  description: 'user:password in URLs (scheme://user:pass@host)',
  defaultEnabled: true,
  priority: 2,
  marks: SCHEME_SEPARATOR,
  find(text, out) {
    for (let p = text.indexOf('://'); p !== -1; p = text.indexOf('://', p + 3)) {
      let s = p;
      while (s > 0 && p - s <= 16 && isSchemeChar(text.charCodeAt(s - 1))) s--;
      const first = text.charCodeAt(s);
      if (p - s < 2 || !((first >= 65 && first <= 90) || (first >= 97 && first <= 122))) continue;
      let colon = -1;
      let q = p + 3;
      for (; q < text.length; q++) {
        const c = text.charCodeAt(q);
        if (c === 64 || isUserinfoStop(c)) break;
        if (c === 58 && colon === -1) colon = q;
      }
      if (q < text.length && text.charCodeAt(q) === 64 && colon > p + 3 && colon < q - 1)
        out.push({ start: p + 3, end: q });
    }
  },
};

const awsKeyIdRe =
  /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Z0-9])/g;
const awsAccessKeyId: Detector = {
  name: 'aws_access_key_id',
  marks: UPPER_RUN,
  category: 'api_key',
  description: 'AWS access key IDs (AKIA..., ASIA...)',
  defaultEnabled: true,
  priority: 10,
  find(text, out) {
    scan(awsKeyIdRe, text, out, wholeMatch);
  },
};

const awsSecretRe =
  /(?:aws)?[_.-]?secret[_.-]?(?:access[_.-]?)?key(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi;
const awsSecretKey: Detector = {
  name: 'aws_secret_key',
  minTokenRun: 40,
  category: 'aws_secret',
  description: 'AWS secret access keys (40 base64 characters after a secret-key name)',
  defaultEnabled: true,
  priority: 4,
  lowerNeedles: ['secret'],
  find(text, out) {
    scan(awsSecretRe, text, out, (m) => trailingValue(m, m[1] ?? ''));
  },
};

const vendorKeyRe = new RegExp(
  [
    'gh[pousr]_[A-Za-z0-9]{36,255}',
    'github_pat_[A-Za-z0-9_]{22,255}',
    'xox[abposr]-[A-Za-z0-9-]{10,}',
    'https://hooks\\.slack\\.com/services/[A-Za-z0-9_/-]{20,}',
    '(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}',
    'whsec_[A-Za-z0-9]{24,}',
    'AIza[0-9A-Za-z_-]{35}',
    'GOCSPX-[A-Za-z0-9_-]{28}',
    'ya29\\.[0-9A-Za-z_-]{20,}',
  ]
    .map((p) => `(?:${p})`)
    .join('|')
    .replace(/^/, '(?<![A-Za-z0-9_])(?:')
    .concat(')(?![A-Za-z0-9_-])'),
  'g'
);
const vendorApiKey: Detector = {
  name: 'vendor_api_key',
  marks: MIXED_RUN,
  category: 'api_key',
  description:
    'GitHub (ghp_, github_pat_), Slack (xox?-, webhooks), Stripe (sk_/rk_ live/test, whsec_), Google (AIza, GOCSPX-, ya29.) keys',
  defaultEnabled: true,
  priority: 10,
  find(text, out) {
    scan(vendorKeyRe, text, out, wholeMatch);
  },
};

const pemBeginRe = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/g;
const pemPrivateKey: Detector = {
  name: 'pem_private_key',
  category: 'private_key',
  description: 'PEM private key blocks (to the END marker, or to the end of the text when truncated)',
  defaultEnabled: true,
  priority: 1,
  marks: PEM_DASHES,
  find(text, out) {
    scan(pemBeginRe, text, out, (m) => {
      const endMarker = `-----END ${m[1] ?? ''}-----`;
      const endAt = text.indexOf(endMarker, m.index);
      const end = endAt === -1 ? text.length : endAt + endMarker.length;
      pemBeginRe.lastIndex = end;
      return { start: m.index, end };
    });
  },
};

/** Builds the key/value detector for a list of sensitive key words (regex fragments). */
export function sensitiveKeyValueDetector(keyWords: readonly string[]): Detector {
  const re = new RegExp(
    `(?:${keyWords.join('|')})(?:\\\\?["'])?\\s*[:=]\\s*(?:\\\\"((?:[^"\\\\]|\\\\[^"])*)|"((?:[^"\\\\]|\\\\.)*)|'([^']*)|([^\\s&,;"'}\\])]+))`,
    'gi'
  );
  // Needles: each key word spelled out with each separator, so that `authentication` does not wake `auth[_.-]?key`.
  const needles = new Set<string>();
  for (const w of keyWords) {
    const variants = w
      .toLowerCase()
      .replace(/s\?$/, '')
      .split('[_.-]?')
      .reduce<string[]>(
        (acc, part, i) => (i === 0 ? [part] : acc.flatMap((a) => ['', '_', '.', '-'].map((sep) => a + sep + part))),
        []
      );
    for (const v of variants) {
      if (/^[a-z0-9_.-]+$/.test(v)) needles.add(v);
      else {
        const literal = /^[a-z0-9]+/.exec(v)?.[0];
        if (literal !== undefined) needles.add(literal);
      }
    }
  }
  return {
    name: 'sensitive_key_value',
    category: 'secret_value',
    description:
      'values of sensitive keys (password, secret, token, api_key, ...) in JSON, logfmt, query strings and headers',
    defaultEnabled: true,
    priority: 6,
    lowerNeedles: [...needles],
    find(text, out) {
      scan(re, text, out, (m) => {
        const value = firstDefined(m, 1);
        if (value === undefined || isPlaceholderValue(value)) return undefined;
        if (value.charCodeAt(0) === 47 && /pwd/i.test(m[0].slice(0, 4))) return undefined;
        return trailingValue(m, value);
      });
    },
  };
}

// ---------------------------------------------------------------- statistical detector (X2)
const secretContext =
  /(?:key|secret|token|auth|credential|passw|bearer|apikey|signature|private|cred)[\w.-]{0,20}["']?\s*(?:[:=]|is|was|with|using|to)?\s*["']?$/i;
const notSecretContext =
  /(?:sha\d*|md5|hash|digest|checksum|etag|integrity|commit|sha1|revision|rev|build|trace|span|request|req|uuid|guid|id)[\w.-]{0,12}["']?\s*[:=]?\s*["']?(?:sha\d+-)?$/i;
const hashPrefix = /^(?:sha\d+|md5|sha)[-:]/i;
const uuidShape = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function highEntropyDetector(options: EntropyOptions): Detector {
  const judge = (token: string, before: string): boolean => {
    if (token.length < 16 || uuidShape.test(token) || hashPrefix.test(token)) return false;
    // Base64 of a JSON object is data (JWTs are found by their own rule).
    if (token.startsWith('eyJ') && token.indexOf('.') === -1) return false;
    let digits = 0;
    let upper = 0;
    let lower = 0;
    let switches = 0;
    let previous = -1;
    for (let i = 0; i < token.length; i++) {
      const c = token.charCodeAt(i);
      const kind = c < 128 ? (charClass[c] ?? 0) & 7 : 0;
      if (kind === DIGIT) digits++;
      else if (kind === UPPER) upper++;
      else if (kind === LOWER) lower++;
      if (previous !== -1 && kind !== previous) switches++;
      previous = kind;
    }
    const entropy = shannonEntropy(token);
    // Identifiers and words switch character class rarely; random tokens switch often.
    const randomLooking =
      token.length >= options.minLength &&
      digits > 0 &&
      upper > 0 &&
      lower > 0 &&
      switches >= token.length * 0.4 &&
      entropy >= Math.max(options.minBitsPerChar, Math.log2(token.length) - 0.6 - 0.008 * token.length);
    if (randomLooking) return !notSecretContext.test(before);
    // Weaker evidence is enough after a word that announces a secret (hex keys, lower-case tokens).
    if (entropy < 3.0) return false;
    const lowerBefore = before.toLowerCase();
    if (!contextWords.some((w) => lowerBefore.includes(w))) return false;
    return secretContext.test(before) && !notSecretContext.test(before);
  };
  return {
    name: 'high_entropy',
    category: 'high_entropy',
    description: 'random-looking tokens judged by Shannon entropy and the words before them',
    defaultEnabled: true,
    priority: 40,
    minTokenRun: 16,
    find(text, out, features) {
      if (!features.runsOverflow) {
        for (let r = 0; r < features.runCount; r++) {
          // Random tokens of 16+ characters hold a digit; runs without one are words and identifiers.
          const classes = features.runs[r * 3 + 2] ?? 0;
          if ((classes & DIGIT) === 0) continue;
          const start = features.runs[r * 3] ?? 0;
          // Without all three character classes only a word announcing a secret just before can make it one.
          if (classes !== (DIGIT | UPPER | LOWER) && !contextWord.test(text.slice(Math.max(0, start - 40), start)))
            continue;
          consider(text, start, features.runs[r * 3 + 1] ?? 0, out);
        }
        return;
      }
      tokenRunRe.lastIndex = 0;
      let m: RegExpExecArray | null;
      // The leftmost match of a greedy class run starts where the run starts, so every match is a whole run.
      while ((m = tokenRunRe.exec(text)) !== null) consider(text, m.index, m.index + m[0].length, out);
    },
  };

  function consider(text: string, i: number, j: number, out: MatchRange[]): void {
    const n = text.length;
    let e = j;
    while (e < n && e - j < 2 && text.charCodeAt(e) === 61) e++;
    const next = e < n ? text.charCodeAt(e) : 32;
    const keyOrFile = isTokenChar(next) || next === 61 || (next === 46 && e + 1 < n && isAlnum(text.charCodeAt(e + 1)));
    if (!keyOrFile) judgeToken(text, i, e, out);
  }

  function judgeToken(t: string, start: number, end: number, out: MatchRange[]): void {
    const token = t.slice(start, end);
    const before = t.slice(Math.max(0, start - 40), start);
    if (token.indexOf('/') === -1) {
      if (judge(token, before)) out.push({ start, end });
      return;
    }
    if (hashPrefix.test(token) || notSecretContext.test(before)) return;
    // A path: judge each segment; a base64 blob with slashes has no word-like segment and is judged whole.
    const segments = token.split('/');
    if (!segments.some((seg) => /^[a-z][a-z0-9_.-]{2,23}$/.test(seg) || /^[A-Z][a-z]{2,}$/.test(seg))) {
      if (judge(token, before)) out.push({ start, end });
      return;
    }
    let offset = start;
    for (const seg of segments) {
      if (seg.length >= 16 && judge(seg, t.slice(Math.max(0, offset - 40), offset))) {
        out.push({ start: offset, end: offset + seg.length });
      }
      offset += seg.length + 1;
    }
  }
}

const tokenRunRe = /[A-Za-z0-9+/_%-]{16,}/g;
const contextWord = /key|secret|token|auth|cred|pass|bearer|sign|private/i;
const contextWords = ['key', 'secret', 'token', 'auth', 'cred', 'pass', 'bearer', 'sign', 'private'];

/** Every built-in detector, in a fixed order; the sensitive-key and entropy ones use their defaults here. */
export const builtinDetectors: readonly Detector[] = [
  pemPrivateKey,
  urlCredentials,
  authHeader,
  awsSecretKey,
  cookie,
  session,
  sensitiveKeyValueDetector(builtinSensitiveKeyWords),
  jwt,
  awsAccessKeyId,
  vendorApiKey,
  card,
  rrnKr,
  iban,
  ssnUs,
  email,
  phoneE164,
  phoneKr,
  ipv4,
  ipv6,
  highEntropyDetector(defaultEntropyOptions),
];

export const builtinRuleNames: readonly string[] = builtinDetectors.map((d) => d.name);
