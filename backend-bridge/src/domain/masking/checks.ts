// Checksums and statistics that turn a pattern match into a confident detection.

/** Luhn (mod 10) check over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

const rrnWeights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];

/** Korean resident registration number (13 digits, no dash): birth date, gender digit and mod-11 check digit. */
export function rrnValid(digits: string): boolean {
  if (digits.length !== 13) return false;
  const month = Number(digits.slice(2, 4));
  const day = Number(digits.slice(4, 6));
  const gender = digits.charCodeAt(6) - 48;
  if (month < 1 || month > 12 || day < 1 || day > 31 || gender < 1 || gender > 8) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (digits.charCodeAt(i) - 48) * (rrnWeights[i] ?? 0);
  return (11 - (sum % 11)) % 10 === digits.charCodeAt(12) - 48;
}

// Length of a valid IBAN per country (ISO 13616 registry, the commonly seen subset).
const ibanLengths: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  TN: 24,
  TR: 26,
  UA: 29,
  VG: 24,
  XK: 20,
};

/** IBAN: known country, its length, and the ISO 7064 mod-97 check (remainder 1). Input without spaces. */
export function ibanValid(iban: string): boolean {
  const expected = ibanLengths[iban.slice(0, 2)];
  if (expected === undefined || iban.length !== expected) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 48 && c <= 57) remainder = (remainder * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) remainder = (remainder * 100 + (c - 55)) % 97;
    else return false;
  }
  return remainder === 1;
}

/** US SSN rules the SSA never issues: area 000, 666, 900-999; group 00; serial 0000. */
export function ssnValid(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  return a !== 0 && a !== 666 && a < 900 && group !== '00' && serial !== '0000';
}

const counts = new Int32Array(128);

/** Shannon entropy in bits per character (ASCII; other characters share one bucket). */
export function shannonEntropy(s: string): number {
  const n = s.length;
  if (n === 0) return 0;
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const bucket = c < 128 ? c : 0;
    counts[bucket] = (counts[bucket] ?? 0) + 1;
  }
  let h = 0;
  for (let c = 0; c < 128; c++) {
    const k = counts[c] ?? 0;
    if (k > 0) {
      const p = k / n;
      h -= p * Math.log2(p);
    }
  }
  return h;
}

const base64Shape = /^[A-Za-z0-9+/]+={0,2}$/;

/** Decodes standard base64 to latin1 text, or undefined when it is not well formed. */
export function decodeBase64(s: string): string | undefined {
  if (s.length % 4 !== 0 || !base64Shape.test(s)) return undefined;
  try {
    return atob(s);
  } catch {
    return undefined;
  }
}
