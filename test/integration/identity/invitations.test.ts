/**
 * Members join by invitation (issue 15): the same answer whether or not the email has an account,
 * nothing attached until the invitee accepts, single-use, revocable, expiring (injected clock);
 * a user in several tenants picks one at sign-in and switches.
 */
import { startTestStack, ADMIN_PASSWORD, type TestStack } from '../../support/stack';

let stack: TestStack;
let clock = Date.now();
beforeAll(async () => {
  stack = await startTestStack({ now: () => clock });
});
afterAll(async () => stack?.close());

const login = (email: string, password: string, tenant?: string) =>
  stack.call('POST', '/v1/auth/login', { body: { email, password, tenant } });
/** The clock moves in this file: sign in afresh instead of reusing a token that may have expired. */
const adminToken = async () =>
  (await login('admin@localhost', ADMIN_PASSWORD, 'demo')).body.accessToken as string;
const memberEmails = async (token: string) =>
  (await stack.call('GET', '/v1/members', { token })).body.items.map((m: any) => m.email);

test('inviting answers the same for an existing account and a new email, and attaches nobody', async () => {
  // Prepare: an account that exists in another tenant
  const other = await stack.signup('Elsewhere');
  const admin = await adminToken();

  // Act
  const existing = await stack.call('POST', '/v1/members', {
    token: admin,
    body: { email: other.email, role: 'dev' },
  });
  const fresh = await stack.call('POST', '/v1/members', {
    token: admin,
    body: { email: 'fresh@example.test', role: 'viewer' },
  });

  // Assess
  expect(existing.status).toBe(fresh.status);
  expect(existing.status).toBe(201);
  expect(Object.keys(existing.body).sort()).toEqual(Object.keys(fresh.body).sort());
  expect(existing.body).toMatchObject({ status: 'pending', role: 'dev', email: other.email });
  expect(existing.body.token).toMatch(/^hin_/);
  expect(await memberEmails(admin)).not.toContain(other.email);
  expect(await memberEmails(admin)).not.toContain('fresh@example.test');
});

test('an existing account accepts signed in; the invitation is then spent', async () => {
  // Prepare
  const other = await stack.signup('Second Home');
  const admin = await adminToken();
  const inv = (
    await stack.call('POST', '/v1/members', {
      token: admin,
      body: { email: other.email, role: 'dev' },
    })
  ).body;

  // Act
  const preview = await stack.call('POST', '/v1/invitations/lookup', {
    body: { token: inv.token },
  });
  const anonymous = await stack.call('POST', '/v1/invitations/accept', {
    body: { token: inv.token, password: 'a-new-password-123' },
  });
  const accepted = await stack.call('POST', '/v1/invitations/accept', {
    token: other.accessToken,
    body: { token: inv.token },
  });
  const again = await stack.call('POST', '/v1/invitations/accept', {
    token: other.accessToken,
    body: { token: inv.token },
  });

  // Assess
  expect(preview.body).toMatchObject({ tenant: { slug: 'demo' }, email: other.email, role: 'dev' });
  expect(anonymous.status).toBe(409);
  expect(anonymous.body.error.message).toMatch(/sign in, then accept/);
  expect(accepted.status).toBe(200);
  expect(accepted.body.tenant).toMatchObject({ slug: 'demo', role: 'dev' });
  expect(accepted.body.tenants).toHaveLength(2);
  expect(again.status).toBe(409);
  expect(await memberEmails(admin)).toContain(other.email);
  const me = await stack.call('GET', '/v1/me', { token: accepted.body.accessToken });
  expect(me.body).toMatchObject({ tenant: { slug: 'demo' }, role: 'dev' });
});

test('a new account accepts by choosing a password, then signs in with it', async () => {
  const admin = await adminToken();
  const inv = (
    await stack.call('POST', '/v1/members', {
      token: admin,
      body: { email: 'newbie@example.test', role: 'viewer' },
    })
  ).body;

  const noPassword = await stack.call('POST', '/v1/invitations/accept', {
    body: { token: inv.token },
  });
  const accepted = await stack.call('POST', '/v1/invitations/accept', {
    body: { token: inv.token, password: 'newbie-password-1', name: 'Newbie' },
  });
  const signedIn = await login('newbie@example.test', 'newbie-password-1');

  expect(noPassword.status).toBe(400);
  expect(noPassword.body.error.details[0].path).toBe('password');
  expect(accepted.status).toBe(200);
  expect(accepted.body.tenant.role).toBe('viewer');
  expect(signedIn.status).toBe(200);
  expect(signedIn.body.tenant.slug).toBe('demo');
});

test('a signed-in user cannot accept an invitation addressed to another email', async () => {
  const stranger = await stack.signup('Stranger');
  const admin = await adminToken();
  const inv = (
    await stack.call('POST', '/v1/members', {
      token: admin,
      body: { email: 'someone-else@example.test', role: 'admin' },
    })
  ).body;

  const res = await stack.call('POST', '/v1/invitations/accept', {
    token: stranger.accessToken,
    body: { token: inv.token },
  });

  expect(res.status).toBe(403);
  expect(await memberEmails(admin)).not.toContain(stranger.email);
});

test('invitations expire, can be revoked, and are listed with their status', async () => {
  // Prepare
  const admin = await adminToken();
  const short = (
    await stack.call('POST', '/v1/members', {
      token: admin,
      body: { email: 'late@example.test', role: 'dev', expiresInHours: 1 },
    })
  ).body;
  const revoked = (
    await stack.call('POST', '/v1/members', {
      token: admin,
      body: { email: 'revoked@example.test', role: 'dev' },
    })
  ).body;

  // Act
  const revoke = await stack.call('DELETE', `/v1/invitations/${revoked.id}`, { token: admin });
  clock += 2 * 3600_000;
  const adminNow = await adminToken();
  const late = await stack.call('POST', '/v1/invitations/accept', {
    body: { token: short.token, password: 'late-password-123' },
  });
  const afterRevoke = await stack.call('POST', '/v1/invitations/accept', {
    body: { token: revoked.token, password: 'revoked-password-1' },
  });
  const all = await stack.call('GET', '/v1/invitations', { token: adminNow });
  const expired = await stack.call('GET', '/v1/invitations?status=expired', { token: adminNow });

  // Assess
  expect(revoke.status).toBe(204);
  expect(late.status).toBe(410);
  expect(late.body.error.message).toMatch(/expired/);
  expect(afterRevoke.status).toBe(410);
  const byEmail = Object.fromEntries(all.body.items.map((i: any) => [i.email, i.status]));
  expect(byEmail['late@example.test']).toBe('expired');
  expect(byEmail['revoked@example.test']).toBe('revoked');
  expect(expired.body.items.map((i: any) => i.email)).toContain('late@example.test');
  expect(JSON.stringify(all.body)).not.toContain(short.token);
});

test('a user of two tenants picks one at sign-in and switches without signing in again', async () => {
  // Prepare: a member of demo who also owns a tenant of their own
  const own = await stack.signup('Two Homes');
  const admin = await adminToken();
  const inv = (
    await stack.call('POST', '/v1/members', {
      token: admin,
      body: { email: own.email, role: 'viewer' },
    })
  ).body;
  await stack.call('POST', '/v1/invitations/accept', {
    token: own.accessToken,
    body: { token: inv.token },
  });

  // Act
  const picked = await login(own.email, own.password, 'demo');
  const switched = await stack.call('POST', '/v1/auth/switch', {
    token: picked.body.accessToken,
    body: { tenant: picked.body.tenants.find((t: any) => t.slug !== 'demo').slug },
  });
  const notMine = await stack.call('POST', '/v1/auth/switch', {
    token: picked.body.accessToken,
    body: { tenant: 'no-such-tenant' },
  });
  const meThere = await stack.call('GET', '/v1/me', { token: switched.body.accessToken });

  // Assess
  expect(picked.body.tenant).toMatchObject({ slug: 'demo', role: 'viewer' });
  expect(picked.body.tenants.map((t: any) => t.role).sort()).toEqual(['owner', 'viewer']);
  expect(switched.status).toBe(200);
  expect(meThere.body.role).toBe('owner');
  expect(meThere.body.tenant.slug).not.toBe('demo');
  expect(notMine.status).toBe(401);
});

test('invitations are audited', async () => {
  const admin = await adminToken();
  const res = await stack.call('GET', '/v1/audit?limit=200', { token: admin });
  const actions = res.body.items.map((e: any) => e.action);
  expect(actions).toEqual(
    expect.arrayContaining(['invitation.create', 'invitation.accept', 'invitation.revoke']),
  );
  const loginEntry = res.body.items.find((e: any) => e.action === 'auth.login');
  expect(loginEntry.data.method).toBe('password');
  expect(JSON.stringify(res.body)).not.toMatch(/hin_/);
});
