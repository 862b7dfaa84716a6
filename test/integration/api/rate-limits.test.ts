/** Rate limits per credential, per tenant and per IP on sign-in, shared through DynamoDB (dynalite). */
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
beforeAll(async () => {
  // One fixed instant: a minute boundary in the middle of a test would reset the windows.
  const instant = Date.now();
  stack = await startTestStack({
    now: () => instant,
    env: {
      RATE_LIMIT_PER_MINUTE: '5',
      TENANT_RATE_LIMIT_PER_MINUTE: '8',
      AUTH_RATE_LIMIT_PER_MINUTE: '6',
    },
  });
});
afterAll(async () => stack?.close());

test('sign-in attempts from one address are limited, with Retry-After', async () => {
  const attempts = [];
  for (let i = 0; i < 8; i++)
    attempts.push(
      await stack.call('POST', '/v1/auth/login', {
        body: { email: 'admin@localhost', password: 'wrong password' },
      }),
    );

  expect(attempts.slice(0, 6).map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 401]);
  expect(attempts[6].status).toBe(429);
  expect(attempts[6].body.error.code).toBe('RateLimited');
  expect(Number(attempts[6].headers.get('retry-after'))).toBeGreaterThan(0);
});

test('a credential past its limit gets 429; another tenant is unaffected', async () => {
  // Prepare: tokens minted directly (sign-in from this address is already limited by the test above)
  const { signAccessToken } = await import('../../../shared/auth/tokens');
  const { signingKey } = await import('../../../shared/auth/signing-key');
  const { sql } = await import('drizzle-orm');
  const { rowsOf } = await import('../../../shared/db/client');
  const [demo] = rowsOf<{ tenant_id: string; user_id: string }>(
    await stack.platform.db.owner.execute(
      sql`select m.tenant_id, m.user_id from memberships m join tenants t on t.id = m.tenant_id where t.slug = 'demo'`,
    ),
  );
  const key = await signingKey(stack.platform);
  const token = await signAccessToken(
    { tenantId: demo.tenant_id, userId: demo.user_id, role: 'owner' },
    key,
  );
  const { signup } = await import('../../../shared/identity/sessions');
  const other = await signup(stack.platform, {
    tenantName: 'Unaffected',
    email: 'unaffected@example.test',
    password: 'unaffected-password',
  });
  const otherToken = await signAccessToken(
    { tenantId: other.tenantId, userId: other.userId, role: 'owner' },
    key,
  );

  // Act
  const statuses = [];
  for (let i = 0; i < 7; i++)
    statuses.push((await stack.call('GET', '/v1/agents', { token })).status);
  const otherStatus = (await stack.call('GET', '/v1/agents', { token: otherToken })).status;

  // Assess
  expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
  expect(statuses.slice(5)).toEqual([429, 429]);
  expect(otherStatus).toBe(200);
});

test("the tenant limit caps all of a tenant's credentials together", async () => {
  const { signAccessToken } = await import('../../../shared/auth/tokens');
  const { signingKey } = await import('../../../shared/auth/signing-key');
  const { signup } = await import('../../../shared/identity/sessions');
  const key = await signingKey(stack.platform);
  const t = await signup(stack.platform, {
    tenantName: 'Busy',
    email: 'busy@example.test',
    password: 'busy-password-123',
  });
  const owner = await signAccessToken(
    { tenantId: t.tenantId, userId: t.userId, role: 'owner' },
    key,
  );
  const apiKey = (
    await stack.call('POST', '/v1/api-keys', {
      token: owner,
      body: { name: 'bot', role: 'viewer' },
    })
  ).body.secret;

  const statuses = [];
  for (let i = 0; i < 4; i++)
    statuses.push((await stack.call('GET', '/v1/workflows', { token: owner })).status);
  for (let i = 0; i < 5; i++)
    statuses.push((await stack.call('GET', '/v1/workflows', { token: apiKey })).status);

  // 1 (api key creation) + 4 + 3 = 8 requests fit the tenant's 8 per minute; the rest are refused
  expect(statuses.filter((s) => s === 200)).toHaveLength(7);
  expect(statuses.slice(-2)).toEqual([429, 429]);
});
