/** Resolves an API time bound (ISO-8601, epoch ms, or now[-+]N[smhd]) to epoch ms; NaN when unreadable. */
export function resolveTimeBound(text: string, nowMs: number = Date.now()): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const rel = /^now(?:([+-])(\d+)([smhdw]))?(?:\/([mhd]))?$/.exec(t);
  if (rel) {
    const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
    const [, sign, amount, unit = 'm', round] = rel;
    let ms = nowMs + (sign ? (sign === '-' ? -1 : 1) * Number(amount) * (units[unit] ?? 0) : 0);
    if (round) ms = Math.floor(ms / (units[round] ?? 1)) * (units[round] ?? 1);
    return ms;
  }
  return Date.parse(t);
}

/** Parses a duration such as 28d, 6h, 90m into milliseconds; NaN when unreadable. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!m) return Number.NaN;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
  return Number(m[1]) * (units[m[2] ?? ''] ?? Number.NaN);
}
