import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const tierSchema = z.object({
  score_threshold: z.number().gt(0).lt(1),
  for_minutes: z.number().int().min(0).max(1440),
});

export const tiersConfigSchema = z
  .object({
    default_tier: z.string().min(1),
    tiers: z.record(z.string().regex(/^[a-z0-9_-]+$/, 'tier names are lowercase letters, digits, - and _'), tierSchema),
    services: z.record(z.string().min(1), z.string().min(1)).default({}),
  })
  .superRefine((c, ctx) => {
    if (!(c.default_tier in c.tiers))
      ctx.addIssue({ code: 'custom', path: ['default_tier'], message: `unknown tier "${c.default_tier}"` });
    for (const [service, tier] of Object.entries(c.services))
      if (!(tier in c.tiers))
        ctx.addIssue({ code: 'custom', path: ['services', service], message: `unknown tier "${tier}"` });
  });
export type TiersConfig = z.infer<typeof tiersConfigSchema>;
export type Tier = z.infer<typeof tierSchema>;

/** Used when no tiers file is found: every service standard. */
export const DEFAULT_TIERS: TiersConfig = {
  default_tier: 'standard',
  tiers: { standard: { score_threshold: 0.9999, for_minutes: 5 } },
  services: {},
};

export const DEFAULT_TIERS_FILE = resolve(import.meta.dirname, '../../../../config/tiers.yaml');

export function parseTiers(text: string): TiersConfig {
  const result = tiersConfigSchema.safeParse(parse(text));
  if (!result.success)
    throw new Error(
      `invalid tiers config: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`
    );
  return result.data;
}

export function loadTiers(file: string = DEFAULT_TIERS_FILE): TiersConfig {
  return parseTiers(readFileSync(file, 'utf8'));
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`
  );
}

/** Resolves a service's tier name: exact name first, then the first matching glob, else the default. */
export function tierResolver(config: TiersConfig): (service: string) => string {
  const globs = Object.entries(config.services)
    .filter(([k]) => k.includes('*'))
    .map(([k, tier]) => [globToRegExp(k), tier] as const);
  const cache = new Map<string, string>();
  return (service) => {
    let tier = cache.get(service);
    if (tier === undefined) {
      tier = config.services[service] ?? globs.find(([re]) => re.test(service))?.[1] ?? config.default_tier;
      cache.set(service, tier);
    }
    return tier;
  };
}
