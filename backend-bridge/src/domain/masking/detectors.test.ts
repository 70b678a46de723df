import { describe, expect, it } from 'vitest';
import { compilePolicy, detectSpans } from './engine.js';
import { defaultMaskingPolicy, type MaskingPolicy } from './policy.js';

const withIp: MaskingPolicy = { version: 1, default: { rules: { ipv4: { enabled: true }, ipv6: { enabled: true } } } };
const compiled = compilePolicy(withIp);
const defaults = compilePolicy(defaultMaskingPolicy);

/** The values detected in a text, as `category:value`. */
function found(text: string, policy = compiled): string[] {
  return detectSpans(text, policy).map((s) => `${s.category}:${text.slice(s.start, s.end)}`);
}

describe('detectors: positives', () => {
  const cases: [string, string, string][] = [
    ['email', 'mail sent to jane.doe+shop@example.co.kr today', 'email:jane.doe+shop@example.co.kr'],
    ['email percent-encoded', 'GET /u?email=jane%40example.com HTTP/1.1', 'email:jane%40example.com'],
    ['E.164', 'call +1 415 555 2671 now', 'phone:+1 415 555 2671'],
    ['E.164 compact', 'sms to +821012345678 queued', 'phone:+821012345678'],
    ['Korean mobile', '연락처 010-1234-5678 변경', 'phone:010-1234-5678'],
    ['Korean mobile without dashes', 'phone 01012345678 verified', 'phone:01012345678'],
    ['Korean landline', 'office 02-123-4567 closed', 'phone:02-123-4567'],
    ['Korean landline area code', 'branch 031-123-4567', 'phone:031-123-4567'],
    ['RRN', '주민번호 900101-1234568 확인', 'rrn:900101-1234568'],
    ['card spaced', 'paid with 4111 1111 1111 1111 ok', 'card:4111 1111 1111 1111'],
    ['card dashed amex', 'amex 3782-822463-10005 ok', 'card:3782-822463-10005'],
    ['card plain', 'card_number=5555555555554444', 'card:5555555555554444'],
    ['IBAN spaced', 'payout to GB82 WEST 1234 5698 7654 32', 'iban:GB82 WEST 1234 5698 7654 32'],
    ['IBAN compact', 'iban DE89370400440532013000', 'iban:DE89370400440532013000'],
    ['SSN', 'ssn 123-45-6789 on file', 'ssn:123-45-6789'],
    ['IPv4 (on)', 'from 10.1.2.3 port 22', 'ip:10.1.2.3'],
    ['IPv6 (on)', 'peer 2001:db8::8a2e:370:7334 left', 'ip:2001:db8::8a2e:370:7334'],
    ['URL credentials', 'dsn postgres://app:S3cr3t@db:5432/x', 'url_credential:app:S3cr3t'],
    ['AWS key id', 'key AKIAIOSFODNN7EXAMPLE used', 'api_key:AKIAIOSFODNN7EXAMPLE'],
    [
      'AWS secret',
      'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'aws_secret:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    ],
    [
      'GitHub',
      'token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 rejected',
      'api_key:ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789',
    ],
    [
      'Slack',
      'slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
      'api_key:xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
    ],
    ['Stripe', 'using sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'api_key:sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
    ['Google', 'maps AIzaSyA1234567890abcdefghijklmnopqrstuv', 'api_key:AIzaSyA1234567890abcdefghijklmnopqrstuv'],
    [
      'JWT',
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlLXZhbHVl end',
      'jwt:eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlLXZhbHVl',
    ],
    ['bearer header', 'Authorization: Bearer abcDEF123456ghiJKL', 'auth_credential:Bearer abcDEF123456ghiJKL'],
    ['basic anywhere', 'upstream Basic dXNlcjpwYXNzd29yZA== sent', 'auth_credential:dXNlcjpwYXNzd29yZA=='],
    ['session id', 'X-Session-Id: 8f7a6b5c4d3e2f1a9b8c', 'session:8f7a6b5c4d3e2f1a9b8c'],
    ['JSESSIONID', 'GET /cart;jsessionid=A1B2C3D4E5F60718 HTTP/1.1', 'session:A1B2C3D4E5F60718'],
    [
      'PEM',
      'key -----BEGIN RSA PRIVATE KEY-----\\nMIIEow\\n-----END RSA PRIVATE KEY----- loaded',
      'private_key:-----BEGIN RSA PRIVATE KEY-----\\nMIIEow\\n-----END RSA PRIVATE KEY-----',
    ],
    ['password JSON', '{"dbPassword":"hunter2!"}', 'secret_value:hunter2!'],
    ['secret logfmt', 'level=info CLIENT-SECRET="a b c"', 'secret_value:a b c'],
    ['token query', 'GET /cb?code=1&access_token=abc123&x=1', 'secret_value:abc123'],
    ['api key header', 'X-Api-Key: k3y-v4lue', 'secret_value:k3y-v4lue'],
    ['high entropy', 'signed upload with nonce Zx8kQ2vL9pW4rT7yB3nM6cJ1', 'high_entropy:Zx8kQ2vL9pW4rT7yB3nM6cJ1'],
    ['hex after key word', 'rotated key to 8f3a9c2e7b1d4f6a8c0e2b4d', 'high_entropy:8f3a9c2e7b1d4f6a8c0e2b4d'],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => expect(found(text)).toContain(expected));
  }
  it('cookies: session cookies masked, preferences kept', () => {
    expect(found('Cookie: sessionid=abc123def456; theme=dark; lang=ko')).toEqual(['session:abc123def456']);
  });
});

describe('detectors: near misses stay untouched', () => {
  const negatives: [string, string][] = [
    ['Luhn-invalid card', 'card 4111 1111 1111 1112 declined'],
    ['epoch millis', 'event at 1700000000000 lag=5'],
    ['epoch millis that passes the RRN check', 'event timestamp 1710192092577 lag_ms=3805'],
    ['order id after id word', 'order_id=4111111111111111 shipped'],
    ['UUID', 'request 123e4567-e89b-42d3-a456-426614174000 done'],
    ['git SHA', 'deployed commit 3f786850e387550fdab836ed7e6dc881de23001b'],
    ['sha256 digest', 'image sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    ['integrity hash', 'asset integrity sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU= ok'],
    ['version', 'version v2.14.3-rc.1+build.4567 started'],
    ['ISO timestamp', 'at 2024-03-01T12:00:00+09:00 done'],
    ['timezone offset', '[01/Mar/2024:12:00:01 +0900] "GET /"'],
    ['IBAN with bad check digits', 'iban GB83 WEST 1234 5698 7654 32'],
    ['RRN with bad check digit', 'rrn 900101-1234567'],
    ['SSN never issued', 'ref 666-12-3456'],
    ['short phone-like', 'queue 1588-1234 wait'],
    ['java object id', 'manager=com.huawei.health.g.c@8a2a501'],
    ['akka address', 'spark://CoarseGrainedScheduler@10.10.34.11:48069'],
    ['browser version', 'Mozilla/5.0 Chrome/124.0.0.0 Safari/537.36'],
    ['zookeeper session', 'Processed session termination for sessionid: 0x24f0557806a0010'],
    ['masked password', 'login failed password=*** user=bob'],
    ['password placeholder null', '{"password":null}'],
    ['pwd is a directory', 'sudo: PWD=/home/deploy ; USER=root'],
    ['token count', 'token_count=512 tokens=1024'],
    ['already partially masked stripe key', 'Invalid API Key provided: sk_live_********************abcd'],
    [
      'camel-case identifier',
      'SerializationFeature WRITE_DATES_AS_TIMESTAMPS disabled for com.example.CheckoutControllerImpl2',
    ],
    ['base64 JSON payload', 'payload eyJldmVudCI6ImNsaWNrIiwicGFnZSI6OX0= accepted'],
    ['HDFS block id', 'Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106'],
    ['Failed password (OpenSSH)', 'Failed password for invalid user test9 from 52.80.34.196 port 36060 ssh2'],
  ];
  for (const [name, text] of negatives) {
    it(name, () => expect(found(text, defaults)).toEqual([]));
  }
  it('IP addresses are off by default', () => {
    expect(found('from 10.1.2.3 port 22', defaults)).toEqual([]);
  });
});
