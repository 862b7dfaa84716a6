/**
 * OpenID Connect single sign-on end to end (issue 15) against oidc-provider (a certified OpenID
 * provider) running in this process on 127.0.0.1: authorization code + PKCE through the provider's
 * own login and consent pages, ID token validation, just-in-time membership with the default role
 * and a claim-to-role mapping, SSO-only with the owners' break-glass password, the client secret
 * kept in the secret store, and the audit trail.
 */
import {
  OIDC_CLIENT_ID as CLIENT_ID,
  OIDC_CLIENT_SECRET as CLIENT_SECRET,
  OIDC_REDIRECT as REDIRECT,
  startOidcProvider,
  type LocalOidcProvider,
} from '../../support/oidc';
import { startTestStack, type TestStack } from '../../support/stack';

const ACCOUNTS: Record<string, Record<string, unknown>> = {
  ada: { email: 'ada@corp.example', email_verified: true, name: 'Ada', groups: ['staff'] },
  grace: {
    email: 'grace@corp.example',
    email_verified: true,
    name: 'Grace',
    groups: ['staff', 'platform-admins'],
  },
  mallory: { email: 'admin@localhost', email_verified: false, name: 'Mallory', groups: [] },
};

let stack: TestStack;
let idp: LocalOidcProvider;
let issuer: string;
let owner: { accessToken: string; email: string; password: string };
const logs: string[] = [];

beforeAll(async () => {
  idp = await startOidcProvider(ACCOUNTS);
  issuer = idp.issuer;
  stack = await startTestStack({
    env: { SSO_ALLOW_HTTP_ISSUER: 'true', LOG_LEVEL: 'debug' },
    logSink: (l) => logs.push(l),
  });
  owner = await stack.signup('Corp');
});
afterAll(async () => {
  await stack?.close();
  await idp?.close();
});

async function ssoSignIn(account: string, tenant = 'corp') {
  const start = await stack.call('POST', '/v1/auth/sso/start', {
    body: { tenant, redirectUri: REDIRECT },
  });
  if (start.status !== 200) return { start, finish: start };
  const callbackUrl = await idp.throughProvider(start.body.authorizationUrl, account);
  const finish = await stack.call('POST', '/v1/auth/sso/callback', { body: { callbackUrl } });
  return { start, finish, callbackUrl };
}

const tenantSlug = async () =>
  (await stack.call('GET', '/v1/me', { token: owner.accessToken })).body.tenant.slug as string;

test('an owner configures SSO; the secret is stored, never read back, and the issuer is checked', async () => {
  const bad = await stack.call('PUT', '/v1/settings/sso', {
    token: owner.accessToken,
    body: {
      issuer: 'http://127.0.0.1:9/nothing',
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    },
  });
  const put = await stack.call('PUT', '/v1/settings/sso', {
    token: owner.accessToken,
    body: {
      issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      defaultRole: 'viewer',
      roleClaim: 'groups',
      roleMap: { 'platform-admins': 'admin', staff: 'dev' },
    },
  });
  const got = await stack.call('GET', '/v1/settings/sso', { token: owner.accessToken });
  const tenantId = (await stack.call('GET', '/v1/me', { token: owner.accessToken })).body.tenant.id;
  const stored = await stack.platform.secrets.get(`hishamos/tenants/${tenantId}/sso/client-secret`);

  expect(bad.status).toBe(400);
  expect(bad.body.error.details[0].path).toBe('issuer');
  expect(put.status).toBe(200);
  expect(got.body).toMatchObject({
    issuer,
    clientId: CLIENT_ID,
    clientSecretLast4: CLIENT_SECRET.slice(-4),
  });
  expect(JSON.stringify([put.body, got.body])).not.toContain(CLIENT_SECRET);
  expect(stored).toBe(CLIENT_SECRET);
});

test('an OIDC sign-in with PKCE creates the member just in time with the mapped role', async () => {
  // Act
  const { start, finish } = await ssoSignIn('grace', await tenantSlug());
  const auth = new URL(start.body.authorizationUrl);
  const me = await stack.call('GET', '/v1/me', { token: finish.body.accessToken });
  const second = await ssoSignIn('ada', await tenantSlug());

  // Assess
  expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
  expect(auth.searchParams.get('nonce')).toBeTruthy();
  expect(finish.status).toBe(200);
  expect(me.body).toMatchObject({ user: { email: 'grace@corp.example' }, role: 'admin' });
  expect(second.finish.body.tenant.role).toBe('dev');
});

test('a callback with a tampered state, or replayed, is refused', async () => {
  const { callbackUrl } = await ssoSignIn('ada', await tenantSlug());
  const tampered = new URL(callbackUrl as string);
  tampered.searchParams.set('state', `${tampered.searchParams.get('state')}x`);

  const bad = await stack.call('POST', '/v1/auth/sso/callback', {
    body: { callbackUrl: tampered.href },
  });
  const replay = await stack.call('POST', '/v1/auth/sso/callback', { body: { callbackUrl } });

  expect(bad.status).toBe(401);
  expect(replay.status).toBe(401);
});

test('an unverified email never takes over an existing account', async () => {
  // admin@localhost exists (the demo owner); the provider does not vouch for the address.
  const { finish } = await ssoSignIn('mallory', await tenantSlug());
  expect(finish.status).toBe(403);
});

test('SSO-only: members must use SSO, owners keep their password (break-glass)', async () => {
  // Prepare: a member with a password, then SSO only
  await stack.addMember(owner.accessToken, 'pw-member@corp.example', 'dev', 'pw-member-password');
  const set = await stack.call('PUT', '/v1/settings/sso', {
    token: owner.accessToken,
    body: { issuer, clientId: CLIENT_ID, defaultRole: 'viewer', ssoOnly: true },
  });

  // Act
  const member = await stack.call('POST', '/v1/auth/login', {
    body: { email: 'pw-member@corp.example', password: 'pw-member-password' },
  });
  const breakGlass = await stack.call('POST', '/v1/auth/login', {
    body: { email: owner.email, password: owner.password },
  });
  const viaSso = await ssoSignIn('ada', await tenantSlug());

  // Assess
  expect(set.body.ssoOnly).toBe(true);
  expect(member.status).toBe(403);
  expect(member.body.error.message).toMatch(/single sign-on only/);
  expect(breakGlass.status).toBe(200);
  expect(viaSso.finish.status).toBe(200);
});

test('SSO settings and SSO sign-ins are audited; the secret appears nowhere', async () => {
  const audit = await stack.call('GET', '/v1/audit?limit=200', { token: owner.accessToken });
  const entries = audit.body.items as any[];

  expect(entries.map((e) => e.action)).toEqual(
    expect.arrayContaining(['settings.sso', 'member.jit', 'auth.login']),
  );
  expect(entries.filter((e) => e.action === 'auth.login').map((e) => e.data.method)).toContain(
    'sso',
  );
  expect(JSON.stringify(entries) + logs.join('\n')).not.toContain(CLIENT_SECRET);
});
