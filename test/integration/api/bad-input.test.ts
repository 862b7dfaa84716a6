/**
 * Bad input on every route: 401 without credentials, 400 naming the field for malformed params,
 * bodies and queries, malformed JSON → 400, unknown route → 404, wrong method → 405. Nothing is
 * written by any rejected request.
 */
import { sql } from 'drizzle-orm';
import { allRoutes } from '../../../infra/manifest';
import { rowsOf } from '../../../shared/db/client';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
const UUID = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.adminToken();
});
afterAll(async () => stack?.close());

const routes = allRoutes();
const pathWith = (path: string, value: string) => path.replace(/\{\w+\}/g, value);

async function rowCounts() {
  const tables = [
    'tenants',
    'users',
    'memberships',
    'agents',
    'agent_versions',
    'workflows',
    'workflow_versions',
    'runs',
    'run_steps',
    'api_keys',
    'audit_log',
  ];
  const out: Record<string, number> = {};
  for (const t of tables)
    out[t] = Number(
      rowsOf<{ n: string }>(
        await stack.platform.db.owner.execute(sql.raw(`select count(*) as n from ${t}`)),
      )[0].n,
    );
  return out;
}

const protectedRoutes = routes.filter((r) => r.access !== 'public');
test.each(protectedRoutes.map((r) => [r.routeKey, r] as const))(
  '%s without a token → 401',
  async (_key, route) => {
    const res = await stack.call(route.method, pathWith(route.path, UUID), {
      body: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('Unauthorized');
  },
);

test.each(protectedRoutes.map((r) => [r.routeKey, r] as const))(
  '%s with a forged token → 401',
  async (_key, route) => {
    const res = await stack.call(route.method, pathWith(route.path, UUID), {
      token: `${token.slice(0, -4)}AAAA`,
      body: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
    });
    expect(res.status).toBe(401);
  },
);

describe('rejected input writes nothing', () => {
  let before: Record<string, number>;
  beforeAll(async () => {
    before = await rowCounts();
  });
  afterAll(async () => {
    expect(await rowCounts()).toEqual(before);
  });

  const uuidParamRoutes = routes.filter(
    (r) =>
      r.access !== 'public' &&
      r.params &&
      Object.values(r.params.shape).some(
        (s: any) => s.safeParse(UUID).success && !s.safeParse('not-a-uuid!').success,
      ),
  );
  test.each(uuidParamRoutes.map((r) => [r.routeKey, r] as const))(
    '%s with a malformed id → 400 naming path.<param>',
    async (_key, route) => {
      const res = await stack.call(route.method, pathWith(route.path, 'not-a-uuid!'), {
        token,
        body: route.body ? {} : undefined,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('ValidationError');
      expect(res.body.error.details[0].path).toMatch(/^path\./);
    },
  );

  const bodyRoutes = routes.filter((r) => r.body && !r.rawBody);
  test.each(bodyRoutes.map((r) => [r.routeKey, r] as const))(
    '%s with malformed JSON → 400 MalformedJson',
    async (_key, route) => {
      const res = await stack.call(route.method, pathWith(route.path, 'feature-pipeline'), {
        token,
        rawBody: '{"name": ',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('MalformedJson');
    },
  );

  test.each(bodyRoutes.map((r) => [r.routeKey, r] as const))(
    '%s with a non-object body → 400',
    async (_key, route) => {
      const res = await stack.call(route.method, pathWith(route.path, 'feature-pipeline'), {
        token,
        body: [1, 2],
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('ValidationError');
    },
  );

  test.each([
    ['POST', '/v1/auth/signup', { tenantName: 'x', email: 'a@b.c', password: 'short' }, 'password'],
    ['POST', '/v1/auth/login', { email: 'not-an-email', password: 'x' }, 'email'],
    ['POST', '/v1/auth/refresh', { refreshToken: 3 }, 'refreshToken'],
    ['POST', '/v1/members', { email: 'm@example.test', role: 'superuser' }, 'role'],
    [
      'POST',
      '/v1/members',
      { email: 'brand-new@example.test', role: 'dev', password: 'set-by-the-admin' },
      'password',
    ],
    ['POST', '/v1/invitations/accept', { token: 'hin_short' }, 'token'],
    ['POST', '/v1/auth/mfa', { mfaToken: 'x'.repeat(30), code: '12345' }, 'code'],
    ['POST', '/v1/me/mfa/confirm', { code: 'abcdef' }, 'code'],
    ['PUT', '/v1/settings/pii', { classes: { email: 'hide' } }, 'classes.email'],
    ['POST', '/v1/api-keys', { name: '' }, 'name'],
    ['POST', '/v1/api-keys', { name: 'k', role: 'owner' }, 'role'],
    ['POST', '/v1/agents', { slug: 'Bad Slug', name: 'x', model: 'simulator:x' }, 'slug'],
    ['POST', '/v1/agents', { slug: 'ok', name: 'x', model: 'gpt-4' }, 'model'],
    [
      'POST',
      '/v1/agents',
      { slug: 'ok', name: 'x', model: 'openai:gpt-4.1', fallbacks: ['nope'] },
      'fallbacks[0]',
    ],
    [
      'POST',
      '/v1/agents',
      { slug: 'ok', name: 'x', model: 'openai:gpt-4.1', parameters: { temperature: 9 } },
      'parameters.temperature',
    ],
    ['PATCH', '/v1/agents/pm', { unknownField: 1 }, ''],
    ['POST', '/v1/workflows', { slug: 'w', name: 'w', nodes: [] }, 'nodes'],
    [
      'POST',
      '/v1/workflows',
      { slug: 'w', name: 'w', nodes: [{ id: 'a', type: 'robot' }] },
      'nodes[0].type',
    ],
    [
      'POST',
      '/v1/workflows',
      { slug: 'w', name: 'w', nodes: [{ id: 'a', type: 'agent', agent: 'ghost', prompt: 'x' }] },
      'nodes[0].agent',
    ],
    [
      'POST',
      '/v1/workflows',
      {
        slug: 'w',
        name: 'w',
        nodes: [
          { id: 'a', type: 'agent', agent: 'pm', prompt: '{{steps.b.output}}' },
          { id: 'b', type: 'agent', agent: 'pm', prompt: 'x' },
        ],
        edges: [{ from: 'a', to: 'b' }],
      },
      'nodes[0].prompt',
    ],
    [
      'POST',
      '/v1/workflows',
      {
        slug: 'w',
        name: 'w',
        nodes: [
          { id: 'a', type: 'agent', agent: 'pm', prompt: 'x' },
          { id: 'b', type: 'agent', agent: 'pm', prompt: 'x' },
        ],
        edges: [
          { from: 'a', to: 'b' },
          { from: 'b', to: 'a' },
        ],
      },
      'nodes[0]',
    ],
    [
      'POST',
      '/v1/workflows',
      {
        slug: 'w',
        name: 'w',
        nodes: [{ id: 'a', type: 'agent', agent: 'pm', prompt: 'x' }],
        edges: [{ from: 'a', to: 'zz' }],
      },
      'edges[0].to',
    ],
    [
      'PATCH',
      '/v1/workflows/feature-pipeline',
      {
        edges: [
          { from: 'pm', to: 'coder' },
          { from: 'coder', to: 'reviewer' },
          { from: 'coder', to: 'qa' },
          { from: 'reviewer', to: 'summary' },
          { from: 'qa', to: 'summary' },
          { from: 'summary', to: 'pm' },
        ],
      },
      'nodes[0]',
    ],
    [
      'POST',
      '/v1/workflows/feature-pipeline/runs',
      { input: { repository: 'x' } },
      'input.feature',
    ],
    ['POST', '/v1/workflows/feature-pipeline/runs', { input: 'text' }, 'input'],
    ['GET', '/v1/runs?limit=0', undefined, 'query.limit'],
    ['GET', '/v1/runs?status=DONE', undefined, 'query.status'],
    ['GET', `/v1/runs/${UUID}/events?after=-1`, undefined, 'query.after'],
    ['POST', `/v1/runs/${UUID}/rerun`, { fromStep: 'Not An Id' }, 'fromStep'],
  ] as const)('%s %s → 400 naming %s', async (method, path, body, field) => {
    const res = await stack.call(method, path, { token, body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('ValidationError');
    const paths = (res.body.error.details ?? []).map((d: any) => d.path);
    if (field) expect(paths).toContain(field);
    expect(res.body.error.message.length).toBeGreaterThan(0);
  });

  test('a workflow error names the offending node in the message', async () => {
    const res = await stack.call('POST', '/v1/workflows', {
      token,
      body: {
        slug: 'w',
        name: 'w',
        nodes: [{ id: 'review', type: 'agent', agent: 'reviewr', prompt: 'x' }],
      },
    });
    expect(res.body.error.details[0].message).toContain('review');
    expect(res.body.error.details[0].message).toContain('reviewr');
  });

  test('unknown ids → 404, never 500', async () => {
    for (const path of [
      `/v1/agents/${UUID}`,
      '/v1/agents/no-such-agent',
      `/v1/workflows/${UUID}`,
      `/v1/runs/${UUID}`,
      `/v1/runs/${UUID}/events`,
    ]) {
      const res = await stack.call('GET', path, { token });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    expect((await stack.call('DELETE', `/v1/api-keys/${UUID}`, { token })).status).toBe(404);
    expect(
      (await stack.call('POST', `/v1/workflows/${UUID}/runs`, { token, body: { input: {} } }))
        .status,
    ).toBe(404);
  });

  test('duplicate slugs → 409', async () => {
    const res = await stack.call('POST', '/v1/agents', {
      token,
      body: { slug: 'pm', name: 'again', model: 'simulator:x' },
    });
    expect(res.status).toBe(409);
  });

  test('unknown route → 404, wrong method → 405 with Allow', async () => {
    const unknown = await stack.call('GET', '/v1/nothing-here', { token });
    const wrong = await stack.call('PUT', '/v1/agents', { token, body: {} });
    expect(unknown.status).toBe(404);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toContain('POST');
    expect(wrong.body.error.code).toBe('MethodNotAllowed');
  });

  test('a body over 1 MiB → 413', async () => {
    const res = await stack.call('POST', '/v1/agents', {
      token,
      body: { slug: 'big', name: 'x', model: 'simulator:x', systemPrompt: 'x'.repeat(1_100_000) },
    });
    expect(res.status).toBe(413);
  });

  test('wrong content type → 415', async () => {
    const res = await stack.call('POST', '/v1/agents', {
      token,
      rawBody: 'slug=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
  });
});

test('GET /openapi.json describes every manifest route', async () => {
  const res = await stack.call('GET', '/openapi.json');
  expect(res.status).toBe(200);
  expect(res.body.openapi).toBe('3.1.0');
  for (const r of routes) expect(res.body.paths[r.path]?.[r.method.toLowerCase()]).toBeDefined();
  // Request bodies are named components now: follow the $ref.
  const body = res.body.paths['/v1/agents'].post.requestBody.content['application/json'].schema;
  const name = String(body.$ref).replace('#/components/schemas/', '');
  expect(res.body.components.schemas[name].properties.model).toBeDefined();
});
