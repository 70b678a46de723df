/**
 * Parses logfmt (`key=value key2="quoted value" flag`) into ordered pairs. Returns undefined when the
 * text does not look like logfmt: the first token must be a `key=` pair and at least two pairs present,
 * so prose with a stray `=` stays plain text.
 */
export function parseLogfmt(text: string): Array<[string, string]> | undefined {
  const pairs: Array<[string, string]> = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && text.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 61 /* = */ || c === 32) break;
      if (c === 34 /* " */) return undefined;
      i++;
    }
    const key = text.slice(keyStart, i);
    if (i >= n || text.charCodeAt(i) === 32) {
      // A bare word: allowed only after a well-formed pair (logfmt boolean flag).
      if (pairs.length === 0) return undefined;
      pairs.push([key, 'true']);
      continue;
    }
    if (key.length === 0) return undefined;
    i++; // skip '='
    let value: string;
    if (i < n && text.charCodeAt(i) === 34) {
      i++;
      let out = '';
      let segStart = i;
      let closed = false;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === 92 /* \ */ && i + 1 < n) {
          out += text.slice(segStart, i);
          const next = text[i + 1];
          out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          i += 2;
          segStart = i;
          continue;
        }
        if (c === 34) {
          out += text.slice(segStart, i);
          i++;
          closed = true;
          break;
        }
        i++;
      }
      if (!closed) return undefined;
      value = out;
    } else {
      const valueStart = i;
      while (i < n && text.charCodeAt(i) !== 32) i++;
      value = text.slice(valueStart, i);
    }
    pairs.push([key, value]);
  }
  return pairs.length >= 2 ? pairs : undefined;
}

/** Cheap check before the full parse: `identifier=` at the start. */
export function looksLikeLogfmt(text: string): boolean {
  const n = Math.min(text.length, 64);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 61) return i > 0;
    const isIdent =
      (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45 || c === 64;
    if (!isIdent) return false;
  }
  return false;
}
