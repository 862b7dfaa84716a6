/** PII detection and the policy's masking: built-in classes with their checksums, tenant patterns, placeholders restored. */
import { detectPii, ibanValid, luhnValid } from '../../../shared/pii/detect';
import { superLinear } from '../../../shared/pii/pattern-check';
import {
  DEFAULT_PII_POLICY,
  maskForTrace,
  policyFrom,
  protectOutbound,
} from '../../../shared/pii/policy';

const kinds = (text: string) => detectPii(text).map((f) => `${f.kind}:${f.value}`);

test('cards need a valid Luhn checksum; IBANs a valid mod-97', () => {
  expect(luhnValid('4111111111111111')).toBe(true);
  expect(luhnValid('4111111111111112')).toBe(false);
  expect(ibanValid('DE89 3704 0044 0532 0130 00')).toBe(true);
  expect(ibanValid('DE89 3704 0044 0532 0130 01')).toBe(false);
  expect(ibanValid('GB82WEST12345698765432')).toBe(true);
});

test('each built-in class is found, and look-alikes with bad checksums are not', () => {
  const text = [
    'mail ada@example.com or call +44 20 7946 0958;',
    'card 4111 1111 1111 1111, not 4111 1111 1111 1112;',
    'iban DE89 3704 0044 0532 0130 00, not DE89 3704 0044 0532 0130 01;',
    'key sk-proj-abcdefghijklmnopqrstuvwxyz012345 and AKIAABCDEFGHIJKLMNOP;',
    'order 2026-11-29 at 10:30, version 1.2.3',
  ].join(' ');

  expect(kinds(text)).toEqual([
    'email:ada@example.com',
    'phone:+44 20 7946 0958',
    'card:4111 1111 1111 1111',
    'iban:DE89 3704 0044 0532 0130 00',
    'secret:sk-proj-abcdefghijklmnopqrstuvwxyz012345',
    'secret:AKIAABCDEFGHIJKLMNOP',
  ]);
});

test('tenant patterns are detected under their own name', () => {
  const found = detectPii('ticket EMP-004211 for bob', [
    { name: 'employee', pattern: 'EMP-\\d{6}' },
  ]);
  expect(found.map((f) => [f.kind, f.value])).toEqual([['pattern:employee', 'EMP-004211']]);
});

test('super-linear tenant patterns are recognised', () => {
  expect(superLinear('(a+)+$')).not.toBeNull();
  expect(superLinear('\\d+\\d+x')).not.toBeNull();
  expect(superLinear('EMP-\\d{6}')).toBeNull();
});

test('traces mask every class that is not allowed; the default allows contact details', () => {
  const text = 'ada@example.com paid with 4111111111111111';
  expect(maskForTrace(text, DEFAULT_PII_POLICY)).toEqual({
    text: 'ada@example.com paid with [CARD]',
    counts: { card: 1 },
  });
  const strict = policyFrom({ classes: { email: 'mask_logs' } });
  expect(maskForTrace(text, strict).text).toBe('[EMAIL] paid with [CARD]');
});

test('before the provider: numbered placeholders, one per value, restored at any depth of the output', () => {
  const policy = policyFrom({
    classes: { email: 'mask_provider', card: 'mask_provider' },
    patterns: [{ name: 'employee', pattern: 'EMP-\\d{6}', action: 'mask_provider' }],
  });
  const out = protectOutbound(policy, {
    system: 'Never email ada@example.com twice.',
    content:
      'Write to ada@example.com and bob@example.org about EMP-004211; card 4111111111111111.',
  });

  expect(out.system).toBe('Never email [EMAIL_1] twice.');
  expect(out.content).toBe('Write to [EMAIL_1] and [EMAIL_2] about [EMPLOYEE_1]; card [CARD_1].');
  expect(out.counts).toEqual({ email: 3, 'pattern:employee': 1, card: 1 });
  expect(
    out.restore({ to: ['[EMAIL_2]'], note: 'Re [EMPLOYEE_1] ([EMAIL_1]), [UNKNOWN_1]', n: 3 }),
  ).toEqual({
    to: ['bob@example.org'],
    note: 'Re EMP-004211 (ada@example.com), [UNKNOWN_1]',
    n: 3,
  });
});

test('a tenant pattern is masked when every built-in class is allowed', () => {
  // Prepare
  const policy = policyFrom({
    classes: { email: 'allow', phone: 'allow', card: 'allow', iban: 'allow', secret: 'allow' },
    patterns: [
      { name: 'ticket', pattern: 'TCK-\\d{5}', action: 'mask_provider' },
      { name: 'host', pattern: 'db-\\d+', action: 'mask_logs' },
    ],
  });
  const text = 'TCK-12345 failed on db-7, mail ops@example.com';

  // Act
  const outbound = protectOutbound(policy, { content: text });
  const traced = maskForTrace(text, policy);
  const allowed = maskForTrace(text, policyFrom({ classes: policy.classes }));

  // Assess
  expect(outbound.content).toBe('[TICKET_1] failed on db-7, mail ops@example.com');
  expect(traced.text).toBe('[TICKET] failed on [HOST], mail ops@example.com');
  expect(allowed).toEqual({ text, counts: {} });
});
