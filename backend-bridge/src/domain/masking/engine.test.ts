import { describe, expect, it } from 'vitest';
import { compilePolicy, maskLogRecord, maskRecord, maskText } from './engine.js';
import { defaultMaskingPolicy, type MaskingPolicy } from './policy.js';

const key = 'unit-test-hash-key-0123456789';
const policyWith = (rules: NonNullable<MaskingPolicy['default']['rules']>): MaskingPolicy => ({
  version: 1,
  hashKey: key,
  default: { rules },
});

describe('actions', () => {
  const line = 'paid 4111 1111 1111 1111 by jane@example.com';

  it('redact names the category', () => {
    expect(maskText(line, compilePolicy(defaultMaskingPolicy)).text).toBe('paid [REDACTED:card] by [REDACTED:email]');
  });

  it('partial keeps the last four characters and the separators', () => {
    expect(maskText(line, compilePolicy(policyWith({ card: { action: 'partial' } }))).text).toBe(
      'paid **** **** **** 1111 by [REDACTED:email]'
    );
  });

  it('hash gives a stable, keyed pseudonym', () => {
    const a = maskText(line, compilePolicy(policyWith({ email: { action: 'hash' } }))).text;
    const b = maskText('again jane@example.com', compilePolicy(policyWith({ email: { action: 'hash' } }))).text;
    const other = maskText(
      'again jane@example.com',
      compilePolicy({ ...policyWith({ email: { action: 'hash' } }), hashKey: key + 'x' })
    ).text;
    const pseudonym = /\[HASH:email:[0-9a-f]{10}\]/.exec(a)?.[0];
    expect(pseudonym).toBeDefined();
    expect(b).toBe(`again ${pseudonym}`);
    expect(other).not.toBe(b);
    expect(a).not.toContain('jane');
  });

  it('disabled rules leave values alone', () => {
    expect(maskText(line, compilePolicy(policyWith({ email: { enabled: false } }))).text).toBe(
      'paid [REDACTED:card] by jane@example.com'
    );
  });

  it('counts hits per rule, never values', () => {
    const r = maskText('a@b.io c@d.io 4111111111111111', compilePolicy(defaultMaskingPolicy));
    expect(r.hits).toEqual({ email: 2, card: 1 });
  });

  it('custom rules apply with their own category', () => {
    const policy: MaskingPolicy = {
      version: 1,
      default: { custom: [{ name: 'employee_id', category: 'employee', pattern: 'EMP-\\d{6}' }] },
    };
    expect(maskText('by EMP-123456', compilePolicy(policy))).toEqual({
      text: 'by [REDACTED:employee]',
      hits: { employee_id: 1 },
    });
  });
});

describe('maskRecord', () => {
  const compiled = compilePolicy(defaultMaskingPolicy);

  it('masks nested strings and values under sensitive keys whatever they are', () => {
    const record = {
      message: 'login by jane@example.com',
      labels: { user_email: 'bob@example.org', region: 'kr' },
      http: { headers: { Authorization: 'Bearer abc', 'X-Api-Key': 12345 }, status: 200 },
      db: { Password: { nested: true } },
      tags: ['ok', 'card 4111111111111111'],
    };
    const { record: masked, hits } = maskRecord(record, compiled);
    expect(masked).toEqual({
      message: 'login by [REDACTED:email]',
      labels: { user_email: '[REDACTED:email]', region: 'kr' },
      http: {
        headers: { Authorization: '[REDACTED:auth_credential]', 'X-Api-Key': '[REDACTED:secret_value]' },
        status: 200,
      },
      db: { Password: '[REDACTED:secret_value]' },
      tags: ['ok', 'card [REDACTED:card]'],
    });
    expect(hits).toEqual({ email: 2, auth_header: 1, sensitive_key_value: 2, card: 1 });
    expect(record.labels.user_email).toBe('bob@example.org');
  });

  it('returns the same object when nothing is sensitive', () => {
    const record = { message: 'GET /health 200', labels: { password_policy: 'strict' }, token_count: 5 };
    const r = maskRecord(record, compiled);
    expect(r.record).toBe(record);
    expect(r.hits).toEqual({});
  });

  it('drop removes the field', () => {
    const dropping = compilePolicy(policyWith({ sensitive_key_value: { action: 'drop' }, email: { action: 'drop' } }));
    const { record, hits } = maskRecord({ user: 'u1', password: 'x', contact: 'a@b.io', n: 1 }, dropping);
    expect(record).toEqual({ user: 'u1', n: 1 });
    expect(hits).toEqual({ sensitive_key_value: 1, email: 1 });
  });

  it('leaves placeholders under sensitive keys and keeps session keys to ID-like values', () => {
    const r = maskRecord({ password: '***', token: null, session: 'closed', session_id: 'a1b2c3d4e5f6' }, compiled);
    expect(r.record).toEqual({ password: '***', token: null, session: 'closed', session_id: '[REDACTED:session]' });
  });
});

describe('maskLogRecord', () => {
  const policy: MaskingPolicy = { version: 1, default: {}, services: { edge: { rules: { ipv4: { enabled: true } } } } };
  const compiled = compilePolicy(policy);

  it('uses the record service scope, skips structural fields and records the rules that fired', () => {
    const record = {
      '@timestamp': '2024-01-01T00:00:00.000Z',
      message: 'from 10.0.0.1 user jane@example.com',
      log: { level: 'info' },
      service: { name: 'edge' },
      labels: { client: '10.0.0.2' },
      cairn: { format: 'plain', repaired: [] as string[] },
    };
    const { record: masked, hits } = maskLogRecord(record, compiled);
    expect(masked.message).toBe('from [REDACTED:ip] user [REDACTED:email]');
    expect(masked.labels).toEqual({ client: '[REDACTED:ip]' });
    expect(masked.cairn).toEqual({ format: 'plain', repaired: [], masked: { ipv4: 2, email: 1 } });
    expect(hits).toEqual({ ipv4: 2, email: 1 });
    expect(record.cairn).toEqual({ format: 'plain', repaired: [] });
    const other = maskLogRecord({ ...record, service: { name: 'api' } }, compiled);
    expect(other.record.message).toBe('from 10.0.0.1 user [REDACTED:email]');
  });
});
