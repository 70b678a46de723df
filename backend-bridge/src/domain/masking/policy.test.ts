import { describe, expect, it } from 'vitest';
import { compilePolicy, maskText } from './engine.js';
import { parseMaskingPolicy, resolveMaskingLayer, type MaskingPolicy } from './policy.js';

const policyText = `version: 1
hashKey: a-test-key-that-is-long-enough
default:
  action: redact
  rules:
    email: { action: hash }
  sensitiveKeys: ['pin']
environments:
  dev:
    rules:
      email: { enabled: false }
services:
  payments:
    rules:
      card: { action: partial }
    environments:
      prod:
        rules:
          card: { action: hash }
          ipv4: { enabled: true }
`;

function parsed(text: string): MaskingPolicy {
  const r = parseMaskingPolicy(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.policy;
}

describe('parseMaskingPolicy', () => {
  it('accepts a valid YAML policy and the same policy as JSON', () => {
    const fromYaml = parsed(policyText);
    expect(fromYaml.services?.payments?.rules?.card?.action).toBe('partial');
    const fromJson = parsed(JSON.stringify(fromYaml, null, 2));
    expect(fromJson).toEqual(fromYaml);
  });

  it('names the path and line of a bad action', () => {
    const r = parseMaskingPolicy(policyText.replace('card: { action: partial }', 'card: { action: shred }'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.path).toBe('services.payments.rules.card.action');
    expect(r.errors[0]?.line).toBe(15);
  });

  it('names an unknown key and its line', () => {
    const r = parseMaskingPolicy('version: 1\ndefault:\n  action: redact\n  colour: blue\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ path: 'default.colour', line: 4 });
    expect(r.errors[0]?.message).toContain('colour');
  });

  it('rejects unknown rule names with their line', () => {
    const r = parseMaskingPolicy('version: 1\ndefault:\n  rules:\n    credit_card: { action: redact }\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ path: 'default.rules.credit_card', line: 4 });
  });

  it('rejects an invalid custom regex and a hash action without a key', () => {
    const text =
      'version: 1\ndefault:\n  custom:\n    - name: emp\n      category: emp\n      pattern: "EMP-(\\\\d+"\n      action: hash\n';
    const r = parseMaskingPolicy(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path).sort()).toEqual(['default.custom.0.pattern', 'hashKey']);
    expect(r.errors.find((e) => e.path === 'default.custom.0.pattern')?.line).toBe(6);
  });

  it('reports YAML syntax errors with their line', () => {
    const r = parseMaskingPolicy('version: 1\ndefault:\n  rules: [a, b\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it('requires the version and a default layer', () => {
    const r = parseMaskingPolicy('default: {}\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toContain('version');
  });
});

describe('inheritance: service env inherits service inherits environment inherits default', () => {
  const policy = parsed(policyText);

  it('resolves rule settings field by field', () => {
    expect(resolveMaskingLayer(policy).rules.card).toBeUndefined();
    expect(resolveMaskingLayer(policy, 'payments').rules.card).toEqual({ action: 'partial' });
    expect(resolveMaskingLayer(policy, 'payments', 'prod').rules.card).toEqual({ action: 'hash' });
    expect(resolveMaskingLayer(policy, 'payments', 'dev').rules.email).toEqual({ action: 'hash', enabled: false });
    expect(resolveMaskingLayer(policy, 'other', 'prod').rules.card).toBeUndefined();
    expect(resolveMaskingLayer(policy, 'payments', 'prod').sensitiveKeys).toEqual(['pin']);
  });

  it('masks differently per scope', () => {
    const compiled = compilePolicy(policy);
    const line = 'card 4111 1111 1111 1111 from ops@example.com at 10.0.0.1 pin=0000';
    expect(maskText(line, compiled).text).toMatch(
      /^card \[REDACTED:card\] from \[HASH:email:[0-9a-f]{10}\] at 10\.0\.0\.1 pin=\[REDACTED:secret_value\]$/
    );
    expect(maskText(line, compiled.scope('payments')).text).toContain('card **** **** **** 1111 from [HASH:email:');
    const prod = maskText(line, compiled.scope('payments', 'prod'));
    expect(prod.text).toMatch(/^card \[HASH:card:[0-9a-f]{10}\] from \[HASH:email:[0-9a-f]{10}\] at \[REDACTED:ip\]/);
    expect(prod.hits).toEqual({ card: 1, email: 1, ipv4: 1, sensitive_key_value: 1 });
    expect(maskText(line, compiled.scope('payments', 'dev')).text).toContain('from ops@example.com');
  });
});
