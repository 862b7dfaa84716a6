/** Login, refresh rotation with reuse detection, logout, API keys, roles: through the real API. */
import { startTestStack, ADMIN_PASSWORD, type TestStack } from '../../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.close());

const login = (email: string, password: string) =>
  stack.call('POST', '/v1/auth/login', { body: { email, password } });

test('login returns a 30-minute access token and a refresh token; /v1/me says who I am', async () => {
  const res = await login('admin@localhost', ADMIN_PASSWORD);
  const me = await stack.call('GET', '/v1/me', { token: res.body.accessToken });

  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 1800 });
  expect(me.body).toMatchObject({
    user: { email: 'admin@localhost' },
    tenant: { slug: 'demo' },
    role: 'owner',
    via: 'token',
  });
});

test('wrong password and unknown email get the same 401', async () => {
  const wrong = await login('admin@localhost', 'not the password');
  const unknown = await login('nobody@localhost', 'whatever-password');

  expect(wrong.status).toBe(401);
  expect(unknown.status).toBe(401);
  expect(wrong.body.error.message).toBe(unknown.body.error.message);
});

test('refresh tokens rotate; reusing a rotated one revokes the whole family', async () => {
  // Prepare
  const first = (await login('admin@localhost', ADMIN_PASSWORD)).body;

  // Act
  const second = await stack.call('POST', '/v1/auth/refresh', {
    body: { refreshToken: first.refreshToken },
  });
  const replay = await stack.call('POST', '/v1/auth/refresh', {
    body: { refreshToken: first.refreshToken },
  });
  const afterTheft = await stack.call('POST', '/v1/auth/refresh', {
    body: { refreshToken: second.body.refreshToken },
  });

  // Assess
  expect(second.status).toBe(200);
  expect(second.body.refreshToken).not.toBe(first.refreshToken);
  expect(replay.status).toBe(401);
  expect(replay.body.error.message).toMatch(/already used/);
  expect(afterTheft.status).toBe(401);
});

test('logout revokes the refresh token', async () => {
  const tokens = (await login('admin@localhost', ADMIN_PASSWORD)).body;

  const out = await stack.call('POST', '/v1/auth/logout', {
    body: { refreshToken: tokens.refreshToken },
  });
  const refreshed = await stack.call('POST', '/v1/auth/refresh', {
    body: { refreshToken: tokens.refreshToken },
  });

  expect(out.status).toBe(204);
  expect(refreshed.status).toBe(401);
});

test('API keys: shown once, work as bearer credentials with their role, stop working when revoked', async () => {
  // Prepare
  const token = await stack.adminToken();

  // Act
  const created = await stack.call('POST', '/v1/api-keys', {
    token,
    body: { name: 'ci', role: 'viewer' },
  });
  const listed = await stack.call('GET', '/v1/api-keys', { token });
  const read = await stack.call('GET', '/v1/agents', { token: created.body.secret });
  const write = await stack.call('POST', '/v1/agents', {
    token: created.body.secret,
    body: { slug: 'nope', name: 'n', model: 'simulator:x' },
  });
  const me = await stack.call('GET', '/v1/me', { token: created.body.secret });
  const revoked = await stack.call('DELETE', `/v1/api-keys/${created.body.id}`, { token });
  const after = await stack.call('GET', '/v1/agents', { token: created.body.secret });

  // Assess
  expect(created.status).toBe(201);
  expect(created.body.secret).toMatch(/^hos_[0-9a-f]{12}_/);
  expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
  expect(listed.body.items.find((k: any) => k.id === created.body.id)).toMatchObject({
    name: 'ci',
    role: 'viewer',
    revokedAt: null,
  });
  expect(read.status).toBe(200);
  expect(write.status).toBe(403);
  expect(me.body).toMatchObject({ via: 'apiKey', role: 'viewer', user: null });
  expect(revoked.status).toBe(204);
  expect(after.status).toBe(401);
});

test('a viewer reads but cannot write', async () => {
  // Prepare
  const token = await stack.adminToken();
  await stack.addMember(token, 'viewer@example.test', 'viewer', 'viewer-password-123');
  const viewer = (await login('viewer@example.test', 'viewer-password-123')).body.accessToken;

  // Act
  const list = await stack.call('GET', '/v1/workflows', { token: viewer });
  const attempts = await Promise.all([
    stack.call('POST', '/v1/agents', {
      token: viewer,
      body: { slug: 'v', name: 'v', model: 'simulator:x' },
    }),
    stack.call('PATCH', '/v1/agents/pm', { token: viewer, body: { name: 'x' } }),
    stack.call('DELETE', '/v1/workflows/feature-pipeline', { token: viewer }),
    stack.call('POST', '/v1/workflows/feature-pipeline/runs', {
      token: viewer,
      body: { input: { feature: 'x' } },
    }),
    stack.call('POST', '/v1/api-keys', { token: viewer, body: { name: 'k' } }),
    stack.call('POST', '/v1/members', {
      token: viewer,
      body: { email: 'x@example.test', role: 'viewer' },
    }),
  ]);

  // Assess
  expect(list.status).toBe(200);
  for (const res of attempts) {
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('Forbidden');
  }
});

test('members: roles change, the last owner stays, nobody grants above their role', async () => {
  const token = await stack.adminToken();
  await stack.addMember(token, 'dev@example.test', 'admin', 'dev-password-123');
  const admin = (await login('dev@example.test', 'dev-password-123')).body.accessToken;
  const me = await stack.call('GET', '/v1/me', { token });
  const added = { body: (await stack.call('GET', '/v1/me', { token: admin })).body.user };

  const promote = await stack.call('PATCH', `/v1/members/${added.body.id}`, {
    token: admin,
    body: { role: 'owner' },
  });
  const demoteOwner = await stack.call('PATCH', `/v1/members/${me.body.user.id}`, {
    token,
    body: { role: 'dev' },
  });
  const demote = await stack.call('PATCH', `/v1/members/${added.body.id}`, {
    token,
    body: { role: 'dev' },
  });

  expect(promote.status).toBe(403);
  expect(demoteOwner.status).toBe(409);
  expect(demote.body.role).toBe('dev');
});

test('the audit log records mutations in a hash chain', async () => {
  const token = await stack.adminToken();
  const res = await stack.call('GET', '/v1/audit?limit=200', { token });

  const actions = res.body.items.map((e: any) => e.action);
  expect(actions).toEqual(
    expect.arrayContaining([
      'tenant.create',
      'agent.create',
      'workflow.create',
      'auth.login',
      'apikey.create',
      'apikey.revoke',
    ]),
  );
  expect(new Set(res.body.items.map((e: any) => e.hash)).size).toBe(res.body.items.length);
});
