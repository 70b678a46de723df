// Seeded generator of the labelled masking corpus: `npx tsx bench/corpus/masking/generate.ts` rewrites corpus.jsonl.
// Labels say what a human reviewer would call sensitive, independent of how the detectors work.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CorpusLabel {
  category: string;
  value: string;
}
export interface CorpusLine {
  line: string;
  labels: CorpusLabel[];
}

// mulberry32: small, fast, reproducible
function rngFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
let rnd = rngFrom(20240417);
const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
function pick<T>(xs: readonly T[]): T {
  const x = xs[Math.floor(rnd() * xs.length)];
  if (x === undefined) throw new Error('empty choice');
  return x;
}
const chance = (p: number): boolean => rnd() < p;
const digits = (n: number): string => Array.from({ length: n }, () => String(int(0, 9))).join('');
const fromAlphabet = (alphabet: string, n: number): string =>
  Array.from({ length: n }, () => alphabet.charAt(int(0, alphabet.length - 1))).join('');
const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = B62 + '+/';
const B64URL = B62 + '-_';
const HEX = '0123456789abcdef';
const b62 = (n: number): string => fromAlphabet(B62, n);
const hex = (n: number): string => fromAlphabet(HEX, n);
const b64url = (s: string): string => Buffer.from(s).toString('base64url');

// ------------------------------------------------------------------ secret values
type Part = string | number | { category: string; value: string };
const S = (category: string, value: string): Part => ({ category, value });

const firstNames = [
  'john',
  'mina',
  'jisoo',
  'alex',
  'maria',
  'wei',
  'olivia',
  'minjun',
  'seoyeon',
  'liam',
  'noah',
  'emma',
  'hyunwoo',
  'priya',
  'lucas',
  'sofia',
  'daniel',
  'yuna',
];
const lastNames = [
  'kim',
  'lee',
  'park',
  'choi',
  'smith',
  'garcia',
  'nguyen',
  'jung',
  'kang',
  'brown',
  'wilson',
  'chen',
  'yoon',
  'jang',
  'patel',
  'muller',
];
const domains = [
  'gmail.com',
  'naver.com',
  'daum.net',
  'kakao.com',
  'example.com',
  'acme.io',
  'corp.example.co.kr',
  'outlook.com',
  'mail.hanmail.net',
  'company.org',
  'yahoo.co.jp',
];
function email(): string {
  const f = pick(firstNames);
  const l = pick(lastNames);
  const local = pick([
    `${f}.${l}`,
    `${f}${int(1, 999)}`,
    `${f}_${l}`,
    `${f[0]}${l}`,
    `${f}+${pick(['news', 'test', 'shop'])}`,
    `${l}.${f}${int(70, 99)}`,
  ]);
  return `${local}@${pick(domains)}`;
}

function luhnComplete(prefix: string, length: number): string {
  let body = prefix + digits(length - prefix.length - 1);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  body += String((10 - (sum % 10)) % 10);
  return body;
}
function cardDigits(): string {
  const kind = pick(['visa', 'visa', 'visa', 'mc', 'mc', 'mc2', 'amex', 'discover', 'jcb', 'unionpay', 'diners']);
  switch (kind) {
    case 'visa':
      return luhnComplete('4' + digits(1), chance(0.9) ? 16 : 13);
    case 'mc':
      return luhnComplete(String(int(51, 55)), 16);
    case 'mc2':
      return luhnComplete(String(int(2221, 2720)), 16);
    case 'amex':
      return luhnComplete(pick(['34', '37']), 15);
    case 'discover':
      return luhnComplete('6011', 16);
    case 'jcb':
      return luhnComplete(String(int(3528, 3589)), 16);
    case 'unionpay':
      return luhnComplete('62' + digits(2), pick([16, 19]));
    default:
      return luhnComplete(pick(['36', '38']), 14);
  }
}
function formatCard(d: string): string {
  const style = pick(['plain', 'plain', 'space', 'dash']);
  if (style === 'plain') return d;
  const sep = style === 'space' ? ' ' : '-';
  if (d.length === 15) return [d.slice(0, 4), d.slice(4, 10), d.slice(10)].join(sep);
  if (d.length === 14) return [d.slice(0, 4), d.slice(4, 10), d.slice(10)].join(sep);
  return d.match(/.{1,4}/g)?.join(sep) ?? d;
}
const card = (): string => formatCard(cardDigits());
function luhnInvalidCard(): string {
  const d = cardDigits();
  const last = Number(d[d.length - 1]);
  return formatCard(d.slice(0, -1) + String((last + int(1, 9)) % 10));
}

function ibanFor(country: string, bban: string): string {
  const rearranged = bban + country + '00';
  let rem = 0;
  for (const ch of rearranged) {
    const v = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const c of v) rem = (rem * 10 + Number(c)) % 97;
  }
  return country + String(98 - rem).padStart(2, '0') + bban;
}
function ibanRaw(): string {
  const U = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return pick([
    () => ibanFor('DE', digits(18)),
    () => ibanFor('GB', fromAlphabet(U, 4) + digits(14)),
    () => ibanFor('FR', digits(10) + fromAlphabet(U + '0123456789', 11) + digits(2)),
    () => ibanFor('NL', fromAlphabet(U, 4) + digits(10)),
    () => ibanFor('ES', digits(20)),
    () => ibanFor('IT', fromAlphabet(U, 1) + digits(10) + fromAlphabet('0123456789', 12)),
    () => ibanFor('CH', digits(17)),
    () => ibanFor('BE', digits(12)),
  ])();
}
const spaceIban = (s: string): string => s.match(/.{1,4}/g)?.join(' ') ?? s;
const iban = (): string => (chance(0.5) ? spaceIban(ibanRaw()) : ibanRaw());
function badIban(): string {
  const v = ibanRaw();
  const check = Number(v.slice(2, 4));
  const wrong = v.slice(0, 2) + String(((check + int(1, 50)) % 97) + 2).padStart(2, '0') + v.slice(4);
  return chance(0.5) ? spaceIban(wrong) : wrong;
}

function rrnDigits(valid: boolean): string {
  const yy = String(int(50, 99) < 75 ? int(60, 99) : int(0, 5)).padStart(2, '0');
  const mm = String(int(1, 12)).padStart(2, '0');
  const dd = String(int(1, 28)).padStart(2, '0');
  const g = String(Number(yy) < 10 ? pick([3, 4]) : pick([1, 2]));
  const body = yy + mm + dd + g + digits(5);
  const w = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (w[i] ?? 0);
  const check = (11 - (sum % 11)) % 10;
  return body + String(valid ? check : (check + int(1, 9)) % 10);
}
const rrn = (valid = true): string => {
  const d = rrnDigits(valid);
  return chance(0.8) ? `${d.slice(0, 6)}-${d.slice(6)}` : d;
};

const ssn = (): string =>
  `${String(pick([int(1, 665), int(667, 899)])).padStart(3, '0')}-${String(int(1, 99)).padStart(2, '0')}-${String(int(1, 9999)).padStart(4, '0')}`;

function phoneE164(): string {
  return pick([
    () => `+1 ${int(201, 989)} ${int(200, 999)} ${digits(4)}`,
    () => `+1-${int(201, 989)}-${int(200, 999)}-${digits(4)}`,
    () => `+1${int(201, 989)}${int(200, 999)}${digits(4)}`,
    () => `+44 20 ${digits(4)} ${digits(4)}`,
    () => `+447${digits(9)}`,
    () => `+82 10-${digits(4)}-${digits(4)}`,
    () => `+82-2-${int(200, 999)}-${digits(4)}`,
    () => `+8210${digits(8)}`,
    () => `+81 3-${digits(4)}-${digits(4)}`,
    () => `+49 30 ${digits(8)}`,
    () => `+33 6 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`,
  ])();
}
function phoneKr(): string {
  return pick([
    () => `010-${digits(4)}-${digits(4)}`,
    () => `010${digits(8)}`,
    () => `011-${digits(3)}-${digits(4)}`,
    () => `010 ${digits(4)} ${digits(4)}`,
    () => `02-${int(200, 999)}-${digits(4)}`,
    () => `02-${digits(4)}-${digits(4)}`,
    () => `0${pick(['31', '32', '51', '53', '62', '42'])}-${int(200, 999)}-${digits(4)}`,
    () => `070-${digits(4)}-${digits(4)}`,
    () => `(02) ${digits(4)}-${digits(4)}`,
  ])();
}
const phone = (): string => (chance(0.5) ? phoneE164() : phoneKr());

function jwt(): string {
  const header = b64url(
    JSON.stringify({ alg: pick(['HS256', 'RS256', 'ES256']), typ: 'JWT', ...(chance(0.5) ? { kid: hex(8) } : {}) })
  );
  const payload = b64url(
    JSON.stringify({
      sub: String(int(1000, 999999)),
      iat: 1700000000 + int(0, 9999999),
      exp: 1710000000 + int(0, 9999999),
      ...(chance(0.5) ? { scope: 'read write' } : {}),
    })
  );
  return `${header}.${payload}.${fromAlphabet(B64URL, pick([43, 86, 342]))}`;
}
const opaqueToken = (): string =>
  pick([() => b62(int(24, 48)), () => fromAlphabet(B64URL, int(32, 64)), () => hex(32) + hex(8)])();
const awsKeyId = (): string => pick(['AKIA', 'ASIA']) + fromAlphabet('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16);
const awsSecret = (): string => fromAlphabet(B64, 40);
const githubToken = (): string => (chance(0.7) ? `ghp_${b62(36)}` : `github_pat_${b62(22)}_${b62(59)}`);
const slackToken = (): string => `xoxb-${digits(12)}-${digits(13)}-${b62(24)}`;
const slackWebhook = (): string =>
  `https://hooks.slack.com/services/T${fromAlphabet('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 8)}/B${fromAlphabet('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 10)}/${b62(24)}`;
const stripeKey = (): string => `${pick(['sk', 'rk'])}_${pick(['live', 'test'])}_${b62(pick([24, 99]))}`;
const googleKey = (): string => `AIza${fromAlphabet(B64URL, 35)}`;
function humanPassword(): string {
  return pick([
    () =>
      `${pick(['Summer', 'winter', 'Passw0rd', 'qwerty', 'Dragon', 'seoul', 'Tiger'])}${int(1, 2025)}${pick(['!', '#', '', '$', '@'])}`,
    () => b62(int(10, 20)),
    () =>
      `${pick(['correct', 'horse', 'battery', 'staple', 'blue'])}-${pick(['moon', 'river', 'stone', 'cloud'])}-${int(10, 99)}`,
    () => fromAlphabet(B62 + '!#%^*', int(12, 24)),
  ])();
}
function pemKey(newline: string): string {
  const kind = pick(['RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY']);
  const lines = Array.from({ length: int(3, 8) }, () => fromAlphabet(B64, 64));
  return `-----BEGIN ${kind}-----${newline}${lines.join(newline)}${newline}-----END ${kind}-----`;
}
const ipv4 = (): string =>
  pick([
    `10.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`,
    `192.168.${int(0, 255)}.${int(1, 254)}`,
    `${int(11, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`,
  ]);
const ipv6 = (): string =>
  pick([
    `2001:db8:${hex(4)}:${hex(4)}::${hex(3)}`,
    `fe80::${hex(4)}:${hex(4)}:${hex(4)}:${hex(4)}`,
    `2406:da14:${hex(3)}:${hex(4)}:${hex(4)}:${hex(4)}:${hex(4)}:${hex(4)}`,
  ]);

// ------------------------------------------------------------------ near-misses (never labelled)
const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
const gitSha = (): string => (chance(0.5) ? hex(40) : hex(7));
const orderId = (): string =>
  pick([
    () => `ORD-${int(2019, 2025)}${digits(4)}-${digits(6)}`,
    () => digits(int(10, 19)),
    () => `${int(1, 9)}${digits(15)}`,
    () => `PO${digits(8)}`,
  ])();
const version = (): string =>
  pick([
    `${int(0, 12)}.${int(0, 40)}.${int(0, 99)}`,
    `v${int(1, 5)}.${int(0, 30)}.${int(0, 20)}-rc.${int(1, 9)}+build.${digits(4)}`,
    `${int(1, 3)}.${int(0, 9)}.${int(0, 9)}.${digits(4)}`,
  ]);
const epochMs = (): string => String(1700000000000 + int(0, 99999999999));
const traceId = (): string => hex(32);
const spanId = (): string => hex(16);
const ulid = (): string => '01' + fromAlphabet('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 24);
const podName = (): string =>
  `${pick(['checkout', 'payments', 'auth', 'search', 'catalog'])}-${hex(9).replace(/[a-f]/g, (c) => c)}-${fromAlphabet('bcdfghjklmnpqrstvwxz2456789', 5)}`;
const sha256 = (): string => hex(64);
const sriHash = (): string => `sha256-${fromAlphabet(B64, 43)}=`;
const trackingUps = (): string => `1Z${fromAlphabet('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 16)}`;
const memAddr = (): string => `0x${hex(12)}`;

// ------------------------------------------------------------------ events
interface Event {
  msg: Part[];
  fields: [string, Part | number | boolean][];
  level?: string;
}
const services = [
  'checkout',
  'payments',
  'auth',
  'user-profile',
  'notification',
  'search',
  'catalog',
  'gateway',
  'billing',
  'kyc',
];
const ev = (msg: Part[], fields: Event['fields'] = [], level = 'info'): Event => ({ msg, fields, level });

const sensitiveEvents: (() => Event)[] = [
  () =>
    ev(
      ['user logged in'],
      [
        ['user_email', S('email', email())],
        ['method', pick(['password', 'sso', 'otp'])],
      ]
    ),
  () => ev(['sending receipt to ', S('email', email()), ' for order ', orderId()]),
  () =>
    ev(
      ['signup completed'],
      [
        ['email', S('email', email())],
        ['phone', S('phone', phone())],
        ['plan', pick(['free', 'pro'])],
      ]
    ),
  () => ev(['SMS verification code sent to ', S('phone', phone())], [['attempt', int(1, 3)]]),
  () => ev(['고객 연락처 변경: ', S('phone', phoneKr()), ' (회원번호 ', digits(8), ')']),
  () =>
    ev(
      ['charge succeeded'],
      [
        ['card_number', S('card', card())],
        ['amount', int(100, 99999)],
        ['currency', 'KRW'],
        ['order_id', orderId()],
      ]
    ),
  () =>
    ev(
      ['card ', S('card', card()), ' declined: ', pick(['insufficient_funds', 'do_not_honor', 'expired_card'])],
      [['order', orderId()]],
      'warn'
    ),
  () => ev(['결제 승인 실패 카드번호=', S('card', card()), ' 주문번호=', orderId()], [], 'error'),
  () => ev(['payout scheduled to ', S('iban', iban())], [['amount_eur', int(10, 5000)]]),
  () =>
    ev(
      ['SEPA mandate created'],
      [
        ['debtor_iban', S('iban', iban())],
        ['mandate_id', `MND-${digits(8)}`],
      ]
    ),
  () =>
    ev(
      ['identity verification submitted'],
      [
        ['rrn', S('rrn', rrn())],
        ['name', pick(lastNames)],
      ]
    ),
  () => ev(['주민등록번호 ', S('rrn', rrn()), ' 본인확인 완료']),
  () =>
    ev(
      ['W-9 received'],
      [
        ['ssn', S('ssn', ssn())],
        ['tax_year', int(2019, 2024)],
      ]
    ),
  () => ev(['background check requested for SSN ', S('ssn', ssn())]),
  () =>
    ev(
      ['incoming request'],
      [
        ['authorization', S('auth_credential', `Bearer ${pick([jwt, opaqueToken])()}`)],
        ['path', '/api/v1/orders'],
      ]
    ),
  () =>
    ev([
      'upstream call with Authorization: ',
      S('auth_credential', `Basic ${Buffer.from(`${pick(firstNames)}:${humanPassword()}`).toString('base64')}`),
    ]),
  () => ev(['proxying request, header Authorization: Bearer ', S('auth_credential', opaqueToken())]),
  () =>
    ev([
      'request headers Cookie: sessionid=',
      S('session', b62(32)),
      '; csrftoken=',
      S('session', b62(32)),
      '; theme=',
      pick(['dark', 'light']),
    ]),
  () => ev(['Set-Cookie: SESSION=', S('session', fromAlphabet(B64URL, 40)), '; Path=/; HttpOnly; Secure']),
  () =>
    ev(
      ['session created'],
      [
        ['session_id', S('session', hex(32))],
        ['user_id', int(1000, 99999)],
      ]
    ),
  () =>
    ev(['resume session JSESSIONID=', S('session', fromAlphabet('ABCDEF0123456789', 32)), ' for ', pick(firstNames)]),
  () =>
    ev([
      'connecting to ',
      'postgres://',
      pick(['app', 'admin', 'svc_orders']),
      ':',
      S('url_credential', humanPassword().replace(/[@/#%^]/g, 'x')),
      '@db-',
      int(1, 3),
      '.internal:5432/orders',
    ]),
  () =>
    ev(
      ['cache backend redis://default:', S('url_credential', b62(24)), '@redis-master:6379/0 unreachable'],
      [],
      'error'
    ),
  () =>
    ev(
      [
        'amqp connection failed url=amqps://',
        pick(firstNames),
        ':',
        S('url_credential', b62(16)),
        '@mq.internal/vhost',
      ],
      [],
      'error'
    ),
  () =>
    ev(
      ['loaded AWS credentials'],
      [
        ['aws_access_key_id', S('api_key', awsKeyId())],
        ['aws_secret_access_key', S('aws_secret', awsSecret())],
      ]
    ),
  () =>
    ev([
      'using access key ',
      S('api_key', awsKeyId()),
      ' for s3 upload to bucket ',
      pick(['media', 'invoices', 'backups']),
    ]),
  () => ev(['git clone with token ', S('api_key', githubToken()), ' failed: 401'], [], 'error'),
  () =>
    ev(
      ['slack notify failed'],
      [
        ['webhook', S('api_key', slackWebhook())],
        ['status', 404],
      ],
      'warn'
    ),
  () => ev(['slack client init token=', S('api_key', slackToken())]),
  () => ev(['stripe client configured with ', S('api_key', stripeKey())]),
  () =>
    ev([
      'geocode request https://maps.googleapis.com/maps/api/geocode/json?address=Seoul&key=',
      S('api_key', googleKey()),
    ]),
  () => ev(['TLS config dump'], [['tls_key', S('private_key', pemKey('\n'))]], 'debug'),
  () => ev(['loaded signing key ', S('private_key', pemKey(' '))], [], 'debug'),
  () =>
    ev(
      ['config loaded'],
      [
        [
          pick(['password', 'db_password', 'DB_PASSWORD', 'dbPassword', 'passwd', 'Password']),
          S('secret_value', humanPassword()),
        ],
        ['host', 'db.internal'],
      ]
    ),
  () =>
    ev(
      ['oauth client registered'],
      [
        [pick(['client_secret', 'clientSecret', 'CLIENT-SECRET']), S('secret_value', opaqueToken())],
        ['client_id', `app-${int(100, 999)}`],
      ]
    ),
  () =>
    ev(
      ['token refreshed'],
      [
        [
          pick(['refresh_token', 'refreshToken', 'access_token', 'id_token']),
          S('secret_value', pick([opaqueToken, jwt])()),
        ],
        ['expires_in', 3600],
      ]
    ),
  () =>
    ev([
      'calling partner API with ',
      pick(['X-Api-Key', 'api_key', 'apiKey', 'API-KEY', 'x-api-key']),
      ': ',
      S('secret_value', opaqueToken()),
    ]),
  () => ev(['webhook verified secret=', S('secret_value', `whsec_${b62(32)}`)]),
  () => ev(['JWT issued ', S('jwt', jwt()), ' for user ', int(1000, 99999)]),
  () =>
    ev(
      ['validating id token'],
      [
        ['jwt', S('jwt', jwt())],
        ['issuer', 'https://accounts.example.com'],
      ]
    ),
  () => ev(['password reset link generated: https://app.example.com/reset/', S('high_entropy', b62(int(32, 48)))]),
  () => ev(['signed upload with key ', S('high_entropy', fromAlphabet(B64, 40))]),
  () => ev(['invite accepted https://app.example.com/invite/', S('high_entropy', fromAlphabet(B64URL, 43))]),
  () => ev(['HMAC secret rotated, new value ', S('high_entropy', b62(40))], [], 'warn'),
  () =>
    ev(
      ['client connected'],
      [
        ['client_ip', S('ip', ipv4())],
        ['port', int(1024, 65535)],
      ]
    ),
  () => ev(['peer ', S('ip', ipv6()), ' closed connection']),
];

const cleanEvents: (() => Event)[] = [
  () =>
    ev(
      ['order created'],
      [
        ['order_id', orderId()],
        ['items', int(1, 9)],
        ['total', int(1000, 999999)],
      ]
    ),
  () => ev(['order ', orderId(), ' shipped, tracking ', trackingUps()]),
  () => ev(['payment ', pick(['authorized', 'captured']), ' order=', orderId(), ' ref=', digits(16)]),
  () => ev(['card ending ', digits(4), ' declined'], [], 'warn'),
  () => ev(['card fingerprint mismatch for ', luhnInvalidCard()], [], 'warn'),
  () => ev(['invalid card number entered: ', luhnInvalidCard()], [], 'warn'),
  () => ev(['refund batch ', digits(16), ' processed count=', int(1, 400)]),
  () => ev(['IBAN checksum failed for input ', badIban()], [], 'warn'),
  () => ev(['identity check rejected: malformed RRN ', rrn(false)], [], 'warn'),
  () =>
    ev(
      ['request completed'],
      [
        ['trace_id', traceId()],
        ['span_id', spanId()],
        ['duration_ms', int(1, 3000)],
        ['status', pick([200, 201, 204, 404, 500])],
      ]
    ),
  () => ev(['deployed ', pick(services), ' version ', version(), ' commit ', gitSha()]),
  () => ev(['image pulled sha256:', sha256()]),
  () => ev(['asset integrity ', sriHash(), ' verified']),
  () => ev(['cache miss key=user:', int(1, 99999), ':profile'], [['request_id', uuid()]]),
  () => ev(['job ', ulid(), ' enqueued on partition ', int(0, 11), ' offset ', digits(9)]),
  () => ev(['pod ', podName(), ' ready after ', int(1, 90), 's']),
  () => ev(['event timestamp ', epochMs(), ' lag_ms=', int(0, 5000)]),
  () => ev(['token bucket refill tokens=', int(1, 1000), ' capacity=', int(1000, 5000)]),
  () => ev(['password policy updated: min_length=', int(8, 16), ' require_symbols=true']),
  () => ev(['password=[REDACTED] supplied for user ', pick(firstNames)]),
  () =>
    ev(
      ['login failed'],
      [
        ['password', '***'],
        ['user', pick(firstNames)],
        ['reason', 'bad_credentials'],
      ],
      'warn'
    ),
  () => ev(['Failed password for invalid user ', pick(firstNames), ' port ', int(1024, 65535), ' ssh2'], [], 'warn'),
  () => ev(['session opened for user ', pick(['root', 'deploy', pick(firstNames)]), ' by (uid=0)']),
  () => ev(['Processed session termination for sessionid: 0x', hex(15)]),
  () => ev(['secret manager refreshed ', int(1, 40), ' entries in ', int(1, 900), 'ms']),
  () => ev(['api_key_rotation_enabled=true interval_days=', int(30, 90)]),
  () => ev(['Invalid API Key provided: sk_live_', '*'.repeat(20), hex(4)], [], 'warn'),
  () => ev(['GC pause ', int(1, 400), 'ms heap=', int(100, 4000), 'MB object@', memAddr()]),
  () =>
    ev([
      'scheduled at ',
      `${int(2023, 2025)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}T${String(int(0, 23)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}:00+09:00`,
    ]),
  () => ev(['call center queue 1588-', digits(4), ' wait=', int(0, 600), 's']),
  () =>
    ev([
      'price changed from ',
      int(1, 999),
      '.',
      digits(2),
      ' to ',
      int(1, 999),
      '.',
      digits(2),
      ' (+',
      int(1, 30),
      '%)',
    ]),
  () => ev(['shard 010-', digits(3), ' rebalanced, moved ', int(1, 100), ' keys']),
  () => ev(['part number ', digits(3), '-', digits(2), '-', digits(5), ' restocked']),
  () => ev(['ISBN 978-', int(0, 1), '-', digits(3), '-', digits(5), '-', int(0, 9), ' added to catalog']),
  () =>
    ev(['executor ', `exec-${int(1, 64)}`, ' heartbeat from ', `ip-10-${int(0, 255)}-${int(0, 255)}-${int(0, 255)}`]),
  () =>
    ev([
      'SerializationFeature ',
      pick(['WRITE_DATES_AS_TIMESTAMPS', 'FAIL_ON_EMPTY_BEANS']),
      ' disabled for com.example.',
      pick(['CheckoutController', 'OrderRepositoryImpl', 'PaymentGatewayClient']),
    ]),
  () =>
    ev([
      'payload ',
      Buffer.from(JSON.stringify({ event: pick(['click', 'view']), page: int(1, 9) })).toString('base64'),
      ' accepted',
    ]),
  () => ev(['container ', hex(64), ' exited with code ', int(0, 137)]),
  () => ev(['etag "', hex(32), '" matched, 304']),
  () => ev(['reindexed ', int(1, 9999), ' docs for tenant ', `t_${b62(8)}`]),
  () =>
    ev([
      'feature flag ',
      pick(['newCheckoutFlow', 'enableApplePay', 'useFastSearchV2']),
      ' evaluated to ',
      pick(['true', 'false']),
    ]),
  () => ev(['rate limit ', int(10, 1000), ' req/min exceeded by client ', `cl_${hex(6)}`], [], 'warn'),
  () => ev(['MAC ', Array.from({ length: 6 }, () => hex(2)).join(':'), ' registered']),
  () => ev(['migration 2024', digits(10), '_add_index applied']),
  () =>
    ev(['tokenizer loaded vocab_size=', int(1000, 50000), ' model=', `bert-base-${pick(['uncased', 'multilingual'])}`]),
];

// ------------------------------------------------------------------ rendering
function ts(): Date {
  return new Date(Date.UTC(2024, int(0, 11), int(1, 28), int(0, 23), int(0, 59), int(0, 59), int(0, 999)));
}
const partText = (p: Part): string => (typeof p === 'object' ? p.value : String(p));

const queryNames: Record<string, string[]> = {
  email: ['email', 'user_email', 'login'],
  phone: ['phone', 'tel', 'mobile'],
  jwt: ['id_token', 'jwt', 'token'],
  api_key: ['key', 'api_key', 'apikey'],
  secret_value: ['password', 'access_token', 'token', 'secret'],
  session: ['sessionid', 'jsessionid', 'sid'],
  high_entropy: ['reset_token', 'invite', 'code'],
};
/** Only values an app would plausibly put in a URL go to the access-log form. */
const accessable = (e: Event): boolean =>
  e.msg.every((p) => typeof p !== 'object' || queryNames[p.category] !== undefined) &&
  e.fields.every(([, v]) => typeof v !== 'object');

function render(e: Event): CorpusLine {
  const labels: CorpusLabel[] = [];
  const label = (p: Part | number | boolean, shown: string): void => {
    if (typeof p === 'object') labels.push({ category: p.category, value: shown });
  };
  const service = pick(services);
  const level = e.level ?? 'info';
  const t = ts();
  const format = pick(['json', 'json', 'logfmt', 'plain', 'plain', 'access', 'access']);
  const msg = e.msg.map(partText).join('');
  if (format === 'json' || (format === 'access' && !accessable(e))) {
    const fields: Record<string, unknown> = {};
    for (const [k, v] of e.fields) fields[k] = typeof v === 'object' ? v.value : v;
    const nestHeaders = e.fields.some(([k]) => k === 'authorization') && chance(0.5);
    const record = {
      '@timestamp': t.toISOString(),
      level,
      service,
      message: msg,
      ...(nestHeaders ? { http: { request: { headers: fields } } } : fields),
      ...(chance(0.3) ? { trace_id: traceId() } : {}),
    };
    for (const p of e.msg) label(p, JSON.stringify(partText(p)).slice(1, -1));
    for (const [, v] of e.fields) label(v, typeof v === 'object' ? JSON.stringify(v.value).slice(1, -1) : '');
    return { line: JSON.stringify(record), labels };
  }
  if (format === 'logfmt') {
    const q = (s: string): string => (/[\s"=]/.test(s) ? JSON.stringify(s) : s);
    const parts = [`ts=${t.toISOString()}`, `level=${level}`, `service=${service}`, `msg=${q(msg)}`];
    for (const p of e.msg) label(p, /[\s"=]/.test(msg) ? JSON.stringify(partText(p)).slice(1, -1) : partText(p));
    for (const [k, v] of e.fields) {
      const s = typeof v === 'object' ? v.value : String(v);
      parts.push(`${k}=${q(s)}`);
      label(v, /[\s"=]/.test(s) ? JSON.stringify(s).slice(1, -1) : s);
    }
    return { line: parts.join(' '), labels };
  }
  if (format === 'access' && accessable(e)) {
    const ip = ipv4();
    labels.push({ category: 'ip', value: ip });
    const query = e.msg.filter((p) => typeof p === 'object').length === 0 ? `?page=${int(1, 20)}` : '';
    const path = pick(['/api/v1/orders', '/checkout', '/login', '/api/v2/users/me', '/search']);
    const status = pick([200, 200, 200, 302, 401, 404, 500]);
    const clock = `${String(t.getUTCDate()).padStart(2, '0')}/${t.toUTCString().slice(8, 11)}/${t.getUTCFullYear()}:${t.toISOString().slice(11, 19)} +0000`;
    const ua = pick([
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
      'curl/8.4.0',
      'okhttp/4.12.0',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15',
    ]);
    const secrets = e.msg.filter((p): p is { category: string; value: string } => typeof p === 'object');
    // Sensitive values reach access logs through query strings and paths, under the names apps give them.
    const qs =
      secrets.length > 0
        ? '?' + secrets.map((x) => `${pick(queryNames[x.category] ?? ['q'])}=${encodeURIComponent(x.value)}`).join('&')
        : query;
    for (const x of secrets) labels.push({ category: x.category, value: encodeURIComponent(x.value) });
    const line = `${ip} - - [${clock}] "${pick(['GET', 'POST'])} ${path}${qs} HTTP/1.1" ${status} ${int(0, 50000)} "-" "${ua}" rt=${(rnd() * 2).toFixed(3)}`;
    return { line, labels };
  }
  // Plain-text loggers escape newlines so a record stays on one line.
  const flat = (s: string): string => s.replace(/\n/g, '\\n');
  const extra = e.fields.map(([k, v]) => {
    const s = flat(typeof v === 'object' ? v.value : String(v));
    label(v, s);
    return `${k}=${s}`;
  });
  for (const p of e.msg) label(p, flat(partText(p)));
  const header = pick([
    () =>
      `${t.toISOString().replace('T', ' ').slice(0, 23)} ${level.toUpperCase().padEnd(5)} [${pick(['main', 'http-nio-8080-exec-' + int(1, 20), 'kafka-consumer-1'])}] c.e.${pick(['OrderService', 'AuthFilter', 'PaymentClient', 'UserController'])} - `,
    () =>
      `${t.toUTCString().slice(8, 11)} ${String(t.getUTCDate()).padStart(2, ' ')} ${t.toISOString().slice(11, 19)} ${service}-${int(1, 9)} ${service}[${int(100, 32000)}]: `,
    () => `[${t.toISOString()}] ${level}: `,
  ])();
  return { line: header + msg + (extra.length > 0 ? ' ' + extra.join(' ') : ''), labels };
}

/** Generates the corpus; same seed, same lines. */
export function generateMaskingCorpus(count = 4000, seed = 20240417): CorpusLine[] {
  rnd = rngFrom(seed);
  const out: CorpusLine[] = [];
  for (let i = 0; i < count; i++) {
    const e = chance(0.45) ? pick(sensitiveEvents)() : pick(cleanEvents)();
    const r = render(e);
    if (r.line.includes('\n')) throw new Error('corpus lines must be single lines');
    out.push({ line: r.line, labels: r.labels.filter((l) => l.value.length > 0) });
  }
  return out;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const corpus = generateMaskingCorpus();
  const file = join(dirname(fileURLToPath(import.meta.url)), 'corpus.jsonl');
  writeFileSync(file, corpus.map((c) => JSON.stringify(c)).join('\n') + '\n');
  const perCategory: Record<string, number> = {};
  for (const c of corpus) for (const l of c.labels) perCategory[l.category] = (perCategory[l.category] ?? 0) + 1;
  console.log(`wrote ${corpus.length} lines to ${file}`, perCategory);
}
