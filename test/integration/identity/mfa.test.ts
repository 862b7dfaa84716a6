/**
 * TOTP MFA through the API with an injected clock (issue 15): enrolment with an otpauth URI and a
 * QR code, a two-step sign-in, codes that work once, recovery codes that work once, refresh and
 * API keys unaffected, disabling only with a fresh code, and the tenant-wide requirement.
 */
import { generate } from 'otplib';
import { startTestStack, ADMIN_PASSWORD, type TestStack } from '../../support/stack';

let stack: TestStack;
// Mid-step, so ±30 s tolerance never straddles a step boundary by accident.
let clock = Math.floor(Date.now() / 30_000) * 30_000 + 10_000;
beforeAll(async () => {
  stack = await startTestStack({ now: () => clock });
});
afterAll(async () => stack?.close());

/** A code from the user's "phone", at the platform's time. */
const codeAt = (secret: string, at = clock) => generate({ secret, epoch: Math.floor(at / 1000) });
const nextStep = () => {
  clock += 30_000;
};
const login = (email: string, password: string, tenant?: string) =>
  stack.call('POST', '/v1/auth/login', { body: { email, password, tenant } });
const adminToken = async () =>
  (await login('admin@localhost', ADMIN_PASSWORD, 'demo')).body.accessToken as string;

async function enrolled(name: string) {
  const u = await stack.signup(name);
  const start = await stack.call('POST', '/v1/me/mfa/enrol', { token: u.accessToken });
  const secret = start.body.secret as string;
  const confirm = await stack.call('POST', '/v1/me/mfa/confirm', {
    token: u.accessToken,
    body: { code: await codeAt(secret) },
  });
  nextStep();
  return { ...u, secret, start, recoveryCodes: confirm.body.recoveryCodes as string[], confirm };
}

test('enrolment returns an otpauth URI and a QR code; confirming yields ten recovery codes', async () => {
  const u = await enrolled('Enrol');
  const status = await stack.call('GET', '/v1/me/mfa', { token: u.accessToken });

  expect(u.start.status).toBe(200);
  expect(u.start.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/HishamOS:[^?]+\?/);
  expect(u.start.body.otpauthUri).toContain(`secret=${u.secret}`);
  expect(u.start.body.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
  expect(Buffer.from(u.start.body.qrCode.split(',')[1], 'base64').toString()).toContain('<svg');
  expect(u.confirm.status).toBe(200);
  expect(u.recoveryCodes).toHaveLength(10);
  expect(new Set(u.recoveryCodes).size).toBe(10);
  expect(status.body).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
});

test('a wrong first code does not turn MFA on', async () => {
  const u = await stack.signup('Wrong First');
  const start = await stack.call('POST', '/v1/me/mfa/enrol', { token: u.accessToken });
  const wrong = await stack.call('POST', '/v1/me/mfa/confirm', {
    token: u.accessToken,
    body: { code: (await codeAt(start.body.secret, clock + 600_000)) as string },
  });
  const status = await stack.call('GET', '/v1/me/mfa', { token: u.accessToken });
  const signIn = await login(u.email, u.password);

  expect(wrong.status).toBe(401);
  expect(status.body.enabled).toBe(false);
  expect(signIn.body.accessToken).toBeDefined();
});

test('once enrolled, sign-in takes two steps; a TOTP code works once', async () => {
  // Prepare
  const u = await enrolled('Two Step');

  // Act
  const first = await login(u.email, u.password);
  const noCode = await stack.call('POST', '/v1/auth/mfa', {
    body: { mfaToken: first.body.mfaToken },
  });
  const code = await codeAt(u.secret);
  const second = await stack.call('POST', '/v1/auth/mfa', {
    body: { mfaToken: first.body.mfaToken, code },
  });
  const replayLogin = await login(u.email, u.password);
  const replay = await stack.call('POST', '/v1/auth/mfa', {
    body: { mfaToken: replayLogin.body.mfaToken, code },
  });
  nextStep();
  const fresh = await stack.call('POST', '/v1/auth/mfa', {
    body: { mfaToken: replayLogin.body.mfaToken, code: await codeAt(u.secret) },
  });
  const challengeAsBearer = await stack.call('GET', '/v1/me', { token: first.body.mfaToken });

  // Assess
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ mfaRequired: true, enrolment: false });
  expect(first.body.accessToken).toBeUndefined();
  expect(noCode.status).toBe(400);
  expect(second.status).toBe(200);
  expect(second.body.accessToken).toBeDefined();
  expect(replay.status).toBe(401);
  expect(fresh.status).toBe(200);
  expect(challengeAsBearer.status).toBe(401);
});

test('a challenge token expires after five minutes', async () => {
  const u = await enrolled('Slow');
  const first = await login(u.email, u.password);
  clock += 6 * 60_000;
  const late = await stack.call('POST', '/v1/auth/mfa', {
    body: { mfaToken: first.body.mfaToken, code: await codeAt(u.secret) },
  });
  expect(late.status).toBe(401);
  expect(late.body.error.message).toMatch(/expired/);
});

test('a recovery code signs in once; used twice it fails', async () => {
  const u = await enrolled('Recovery');
  const [code] = u.recoveryCodes;

  const a = await login(u.email, u.password);
  const once = await stack.call('POST', '/v1/auth/mfa', {
    body: { mfaToken: a.body.mfaToken, recoveryCode: code },
  });
  const b = await login(u.email, u.password);
  const twice = await stack.call('POST', '/v1/auth/mfa', {
    body: { mfaToken: b.body.mfaToken, recoveryCode: code.toUpperCase() },
  });
  const status = await stack.call('GET', '/v1/me/mfa', { token: once.body.accessToken });

  expect(once.status).toBe(200);
  expect(twice.status).toBe(401);
  expect(twice.body.error.message).toMatch(/already used/);
  expect(status.body.recoveryCodesLeft).toBe(9);
});

test('refresh rotation and API keys keep working for an MFA user', async () => {
  const u = await enrolled('Machines');
  const first = await login(u.email, u.password);
  const tokens = (
    await stack.call('POST', '/v1/auth/mfa', {
      body: { mfaToken: first.body.mfaToken, code: await codeAt(u.secret) },
    })
  ).body;
  const key = await stack.call('POST', '/v1/api-keys', {
    token: tokens.accessToken,
    body: { name: 'ci', role: 'dev' },
  });

  const refreshed = await stack.call('POST', '/v1/auth/refresh', {
    body: { refreshToken: tokens.refreshToken },
  });
  const withKey = await stack.call('GET', '/v1/agents', { token: key.body.secret });
  const keyEnrol = await stack.call('POST', '/v1/me/mfa/enrol', { token: key.body.secret });

  expect(refreshed.status).toBe(200);
  expect(refreshed.body.accessToken).toBeDefined();
  expect(withKey.status).toBe(200);
  expect(keyEnrol.status).toBe(403);
});

test('disabling MFA needs a fresh code; afterwards the password alone signs in', async () => {
  const u = await enrolled('Disable');
  const first = await login(u.email, u.password);
  const used = await codeAt(u.secret);
  const session = (
    await stack.call('POST', '/v1/auth/mfa', {
      body: { mfaToken: first.body.mfaToken, code: used },
    })
  ).body.accessToken;

  const none = await stack.call('POST', '/v1/me/mfa/disable', { token: session, body: {} });
  const stale = await stack.call('POST', '/v1/me/mfa/disable', {
    token: session,
    body: { code: used },
  });
  nextStep();
  const off = await stack.call('POST', '/v1/me/mfa/disable', {
    token: session,
    body: { code: await codeAt(u.secret) },
  });
  const after = await login(u.email, u.password);

  expect(none.status).toBe(400);
  expect(stale.status).toBe(401);
  expect(off.status).toBe(204);
  expect(after.body.accessToken).toBeDefined();
});

test('a tenant that requires MFA has members without it enrol at their next sign-in', async () => {
  // Prepare
  const admin = await adminToken();
  await stack.addMember(admin, 'must-enrol@example.test', 'dev', 'must-enrol-password');
  const asDev = await stack.call('PATCH', '/v1/settings/security', {
    token: (await login('must-enrol@example.test', 'must-enrol-password')).body.accessToken,
    body: { mfaRequired: true },
  });
  const set = await stack.call('PATCH', '/v1/settings/security', {
    token: admin,
    body: { mfaRequired: true },
  });

  // Act
  const first = await login('must-enrol@example.test', 'must-enrol-password');
  const sneak = await stack.call('POST', '/v1/auth/mfa', {
    body: { mfaToken: first.body.mfaToken, recoveryCode: 'aaaa-bbbb-cccc' },
  });
  const enrolment = await stack.call('POST', '/v1/auth/mfa/enrol', {
    body: { mfaToken: first.body.mfaToken },
  });
  const done = await stack.call('POST', '/v1/auth/mfa', {
    body: { mfaToken: first.body.mfaToken, code: await codeAt(enrolment.body.secret) },
  });
  nextStep();
  const next = await login('must-enrol@example.test', 'must-enrol-password');

  // Assess
  expect(asDev.status).toBe(403);
  expect(set.body).toEqual({ mfaRequired: true });
  expect(first.body).toMatchObject({ mfaRequired: true, enrolment: true });
  expect(sneak.status).toBe(400);
  expect(enrolment.body.otpauthUri).toContain('must-enrol%40example.test');
  expect(done.status).toBe(200);
  expect(done.body.accessToken).toBeDefined();
  expect(done.body.recoveryCodes).toHaveLength(10);
  expect(next.body).toMatchObject({ mfaRequired: true, enrolment: false });

  // The owner has no factor either: the token from before the change switches it off again.
  const reset = await stack.call('PATCH', '/v1/settings/security', {
    token: admin,
    body: { mfaRequired: false },
  });
  expect(reset.status).toBe(200);
});

test('MFA changes and sign-ins (with their method) are audited', async () => {
  const u = await enrolled('Audited');
  const first = await login(u.email, u.password);
  const second = await stack.call('POST', '/v1/auth/mfa', {
    body: { mfaToken: first.body.mfaToken, code: await codeAt(u.secret) },
  });
  const audit = await stack.call('GET', '/v1/audit?limit=50', { token: second.body.accessToken });
  const entries = audit.body.items as any[];

  expect(entries.map((e) => e.action)).toEqual(
    expect.arrayContaining(['mfa.enable', 'auth.login']),
  );
  expect(entries.find((e) => e.action === 'auth.login').data.method).toBe('password+totp');
  expect(JSON.stringify(entries)).not.toContain(u.secret);
});
