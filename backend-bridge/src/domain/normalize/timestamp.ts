const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

/** Earliest and latest instants accepted as real log times: anything else is treated as unparseable. */
const MIN_MS = Date.UTC(1990, 0, 1);
const MAX_FUTURE_MS = 2 * 24 * 3600 * 1000;

function plausible(ms: number, nowMs: number): number | undefined {
  return Number.isFinite(ms) && ms >= MIN_MS && ms <= nowMs + MAX_FUTURE_MS ? ms : undefined;
}

/** Epoch numbers in s, ms, µs or ns, told apart by magnitude. */
export function epochToMs(n: number, nowMs: number): number | undefined {
  if (!Number.isFinite(n) || n <= 0) return undefined;
  let ms: number;
  if (n < 1e11) ms = n * 1000;
  else if (n < 1e14) ms = n;
  else if (n < 1e17) ms = n / 1000;
  else ms = n / 1e6;
  return plausible(Math.round(ms), nowMs);
}

const ISO_LIKE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;
const DIGITS = /^\d+(?:\.\d+)?$/;

/**
 * Parses the timestamp spellings seen in logs: ISO-8601 / RFC 3339 (with comma or dot fractions, with
 * or without zone: no zone means UTC), epoch numbers, RFC 2822, Apache `10/Oct/2000:13:55:36 -0700`,
 * and syslog `Oct 11 22:14:15` (year taken from the reference clock).
 */
export function parseTimestamp(text: string, nowMs: number): number | undefined {
  const s = text.trim();
  if (s.length < 6 || s.length > 64) return undefined;
  const iso = ISO_LIKE.exec(s);
  if (iso) {
    const frac = iso[7] ? Number((iso[7] + '00').slice(0, 3)) : 0;
    let ms = Date.UTC(
      Number(iso[1]),
      Number(iso[2]) - 1,
      Number(iso[3]),
      Number(iso[4]),
      Number(iso[5]),
      Number(iso[6]),
      frac
    );
    const zone = iso[8];
    if (zone && zone !== 'Z') {
      const sign = zone[0] === '-' ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
    }
    return plausible(ms, nowMs);
  }
  if (DIGITS.test(s)) return epochToMs(Number(s), nowMs);
  const apache = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?: ([+-]\d{4}))?$/.exec(s);
  if (apache) {
    const month = MONTHS[apache[2] ?? ''];
    if (month === undefined) return undefined;
    let ms = Date.UTC(
      Number(apache[3]),
      month,
      Number(apache[1]),
      Number(apache[4]),
      Number(apache[5]),
      Number(apache[6])
    );
    const zone = apache[7];
    if (zone) {
      const sign = zone[0] === '-' ? -1 : 1;
      ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000;
    }
    return plausible(ms, nowMs);
  }
  const syslog = parseSyslogTime(s, nowMs);
  if (syslog !== undefined) return syslog;
  const parsed = Date.parse(s);
  return Number.isNaN(parsed) ? undefined : plausible(parsed, nowMs);
}

const SYSLOG_TIME = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})$/;

/** RFC 3164 time has no year: take the reference year, or the previous one if that lands in the future. */
export function parseSyslogTime(s: string, nowMs: number): number | undefined {
  const m = SYSLOG_TIME.exec(s);
  if (!m) return undefined;
  const month = MONTHS[m[1] ?? ''];
  if (month === undefined) return undefined;
  const year = new Date(nowMs).getUTCFullYear();
  let ms = Date.UTC(year, month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  if (ms > nowMs + MAX_FUTURE_MS) ms = Date.UTC(year - 1, month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  return plausible(ms, nowMs);
}
