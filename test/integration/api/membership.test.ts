/**
 * Credentials follow membership (issue 11, item 4): a demotion, a removal or a logout takes effect
 * on the very next request for access tokens; an API key belongs to a member, acts with at most
 * that member's current role, dies with the membership, shows who created it and records its use.
 */
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let owner: string;
beforeAll(async () => {
  stack = await startTestStack();
  owner = await stack.adminToken();
});
afterAll(async () => stack?.close());

const PASSWORD = 'a member password long enough';

/** A member who joined by invitation, signed in to the demo tenant; `id` is their user id. */
async function member(email: string, role: string) {
  await stack.addMember(owner, email, role, PASSWORD);
  const login = await stack.call('POST', '/v1/auth/login', {
    body: { email, password: PASSWORD, tenant: 'demo' },
  });
  expect(login.status).toBe(200);
  const me = await stack.call('GET', '/v1/me', { token: login.body.accessToken });
  return { id: me.body.user.id as string, ...login.body };
}

test('a demoted admin loses admin rights at once, through their token and their old key', async () => {
  const m = await member('demoted@example.test', 'admin');
  const key = await stack.call('POST', '/v1/api-keys', {
    token: m.accessToken,
    body: { name: 'admin key', role: 'admin' },
  });
  expect(key.status).toBe(201);

  const demoted = await stack.call('PATCH', `/v1/members/${m.id}`, {
    token: owner,
    body: { role: 'viewer' },
  });
  const me = await stack.call('GET', '/v1/me', { token: m.accessToken });
  const viaToken = await stack.call('POST', '/v1/api-keys', {
    token: m.accessToken,
    body: { name: 'x', role: 'viewer' },
  });
  const keyMe = await stack.call('GET', '/v1/me', { token: key.body.secret });
  // The old admin key tries to make its owner admin again.
  const escalate = await stack.call('PATCH', `/v1/members/${m.id}`, {
    token: key.body.secret,
    body: { role: 'admin' },
  });

  expect(demoted.status).toBe(200);
  expect(me.body.role).toBe('viewer');
  expect(viaToken.status).toBe(403);
  expect(keyMe.body.role).toBe('viewer');
  expect(escalate.status).toBe(403);
});

test('a removed member is refused at once; their keys die with the membership', async () => {
  const m = await member('removed@example.test', 'dev');
  const keyRes = await stack.call('POST', '/v1/api-keys', {
    token: owner,
    body: { name: 'owner key', role: 'dev' },
  });
  const before = await stack.call('GET', '/v1/agents', { token: m.accessToken });

  const removed = await stack.call('DELETE', `/v1/members/${m.id}`, { token: owner });
  const after = await stack.call('GET', '/v1/agents', { token: m.accessToken });
  const ownerKey = await stack.call('GET', '/v1/agents', { token: keyRes.body.secret });

  expect(before.status).toBe(200);
  expect(removed.status).toBe(204);
  expect(after.status).toBe(401);
  expect(ownerKey.status).toBe(200);
});

test('an API key whose owner is removed stops working and is listed as revoked', async () => {
  const m = await member('key-owner@example.test', 'admin');
  const key = await stack.call('POST', '/v1/api-keys', {
    token: m.accessToken,
    body: { name: 'machine', role: 'admin' },
  });
  // A key made by that key belongs to the same member.
  const child = await stack.call('POST', '/v1/api-keys', {
    token: key.body.secret,
    body: { name: 'child', role: 'viewer' },
  });
  const works = await stack.call('GET', '/v1/agents', { token: key.body.secret });

  await stack.call('DELETE', `/v1/members/${m.id}`, { token: owner });
  const dead = await stack.call('GET', '/v1/agents', { token: key.body.secret });
  const deadChild = await stack.call('GET', '/v1/agents', { token: child.body.secret });
  const list = await stack.call('GET', '/v1/api-keys?limit=200', { token: owner });
  const listed = list.body.items.find((k: any) => k.id === key.body.id);

  expect(works.status).toBe(200);
  expect(child.status).toBe(201);
  expect(child.body.createdBy).toEqual({ id: m.id, email: 'key-owner@example.test' });
  expect(dead.status).toBe(401);
  expect(deadChild.status).toBe(401);
  expect(listed.revokedAt).not.toBeNull();
  // A former member's email is no longer visible to the tenant; the id stays.
  expect(listed.createdBy).toEqual({ id: m.id, email: null });
});

test('logout ends the access token of that session at once, not other sessions', async () => {
  const m = await member('leaver@example.test', 'dev');
  const other = await stack.call('POST', '/v1/auth/login', {
    body: { email: 'leaver@example.test', password: PASSWORD, tenant: 'demo' },
  });

  const out = await stack.call('POST', '/v1/auth/logout', {
    body: { refreshToken: m.refreshToken },
  });
  const ended = await stack.call('GET', '/v1/me', { token: m.accessToken });
  const stillIn = await stack.call('GET', '/v1/me', { token: other.body.accessToken });

  expect(out.status).toBe(204);
  expect(ended.status).toBe(401);
  expect(stillIn.status).toBe(200);
});

test('an API key records when it was last used, at most once a minute', async () => {
  const key = await stack.call('POST', '/v1/api-keys', {
    token: owner,
    body: { name: 'used', role: 'viewer' },
  });
  const listed = async () =>
    (await stack.call('GET', '/v1/api-keys?limit=200', { token: owner })).body.items.find(
      (k: any) => k.id === key.body.id,
    );
  const unused = await listed();

  await stack.call('GET', '/v1/agents', { token: key.body.secret });
  const first = await listed();
  await stack.call('GET', '/v1/agents', { token: key.body.secret });
  const second = await listed();

  expect(unused.lastUsedAt).toBeNull();
  expect(first.lastUsedAt).not.toBeNull();
  expect(second.lastUsedAt).toBe(first.lastUsedAt);
});
