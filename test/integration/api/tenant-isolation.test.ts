/**
 * Tenant isolation: another tenant cannot see, change or run this tenant's agents, workflows or
 * runs, even by id; and the database itself (RLS) hides other tenants' rows from a raw query.
 */
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../../shared/db/client';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let demo: string;
let other: string;
let ids: { agent: string; workflow: string; run: string; tenantA: string; tenantB: string };

beforeAll(async () => {
  stack = await startTestStack();
  demo = await stack.adminToken();
  other = (await stack.signup('Intruder')).accessToken;
  const agent = await stack.call('GET', '/v1/agents/pm', { token: demo });
  const workflow = await stack.call('GET', '/v1/workflows/feature-pipeline', { token: demo });
  const run = await stack.call('POST', '/v1/workflows/feature-pipeline/runs', {
    token: demo,
    body: { input: { feature: 'secret roadmap item' } },
  });
  await stack.waitForRun(demo, run.body.runId);
  const tenantA = (await stack.call('GET', '/v1/me', { token: demo })).body.tenant.id;
  const tenantB = (await stack.call('GET', '/v1/me', { token: other })).body.tenant.id;
  ids = { agent: agent.body.id, workflow: workflow.body.id, run: run.body.runId, tenantA, tenantB };
});
afterAll(async () => stack?.close());

test('lists show only the caller tenant', async () => {
  const [agents, workflows, runs] = await Promise.all(
    ['/v1/agents', '/v1/workflows', '/v1/runs'].map((p) => stack.call('GET', p, { token: other })),
  );
  expect(agents.body.items).toEqual([]);
  expect(workflows.body.items).toEqual([]);
  expect(runs.body.items).toEqual([]);
});

test('another tenant gets 404 for every id and slug of this tenant, for reads, writes and runs', async () => {
  const attempts = await Promise.all([
    stack.call('GET', `/v1/agents/${ids.agent}`, { token: other }),
    stack.call('GET', '/v1/agents/pm', { token: other }),
    stack.call('PATCH', `/v1/agents/${ids.agent}`, { token: other, body: { name: 'pwned' } }),
    stack.call('DELETE', `/v1/agents/${ids.agent}`, { token: other }),
    stack.call('GET', `/v1/agents/${ids.agent}/versions`, { token: other }),
    stack.call('GET', `/v1/workflows/${ids.workflow}`, { token: other }),
    stack.call('PATCH', `/v1/workflows/${ids.workflow}`, { token: other, body: { name: 'pwned' } }),
    stack.call('DELETE', `/v1/workflows/feature-pipeline`, { token: other }),
    stack.call('POST', `/v1/workflows/${ids.workflow}/runs`, {
      token: other,
      body: { input: { feature: 'x' } },
    }),
    stack.call('GET', `/v1/runs/${ids.run}`, { token: other }),
    stack.call('GET', `/v1/runs/${ids.run}/events`, { token: other }),
    stack.call('POST', `/v1/runs/${ids.run}/rerun`, { token: other, body: {} }),
    stack.call('POST', `/v1/runs/${ids.run}/cancel`, { token: other }),
  ]);
  expect(attempts.map((a) => a.status)).toEqual(attempts.map(() => 404));

  const still = await stack.call('GET', `/v1/agents/${ids.agent}`, { token: demo });
  expect(still.body.name).not.toBe('pwned');
  expect(still.body.version).toBe(1);
});

test("a workflow cannot reference another tenant's agent", async () => {
  const res = await stack.call('POST', '/v1/workflows', {
    token: other,
    body: {
      slug: 'steal',
      name: 's',
      nodes: [{ id: 'a', type: 'agent', agent: 'pm', prompt: 'x' }],
    },
  });
  expect(res.status).toBe(400);
  expect(res.body.error.details[0].path).toBe('nodes[0].agent');
});

/** The Postgres error message under drizzle's wrapper. */
async function pgError(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
  } catch (e) {
    return String((e as { cause?: Error }).cause?.message ?? (e as Error).message);
  }
  return 'no error';
}

describe('row-level security, below the application', () => {
  async function asApp<T>(tenantId: string, query: string): Promise<T[]> {
    return stack.platform.db.withTenant({ tenantId }, async (tx) =>
      rowsOf<T>(await tx.execute(sql.raw(query))),
    );
  }

  test.each([
    'agents',
    'agent_versions',
    'workflows',
    'workflow_versions',
    'runs',
    'run_steps',
    'run_events',
    'usage_records',
    'memberships',
    'audit_log',
    'api_keys',
    'refresh_tokens',
  ])(
    'a raw query on %s without any tenant filter, in tenant B, returns none of tenant A rows',
    async (table) => {
      const mine = await asApp<{ tenant_id: string }>(
        ids.tenantA,
        `select tenant_id from ${table}`,
      );
      const theirs = await asApp<{ tenant_id: string }>(
        ids.tenantB,
        `select tenant_id from ${table}`,
      );
      expect(theirs.every((r) => r.tenant_id === ids.tenantB)).toBe(true);
      expect(theirs.some((r) => r.tenant_id === ids.tenantA)).toBe(false);
      if (['agents', 'workflows', 'runs', 'run_steps', 'audit_log', 'memberships'].includes(table))
        expect(mine.length).toBeGreaterThan(0);
    },
  );

  test('without a tenant the application role sees nothing at all', async () => {
    const rows = await stack.platform.db.withoutTenant(async (tx) =>
      rowsOf(await tx.execute(sql`select id from agents`)),
    );
    expect(rows).toEqual([]);
  });

  test('writing a row into another tenant is refused by the policy', async () => {
    const attempt = stack.platform.db.withTenant({ tenantId: ids.tenantB }, (tx) =>
      tx.execute(
        sql`insert into agents (tenant_id, slug, current_version) values (${ids.tenantA}::uuid, 'planted', 1)`,
      ),
    );
    expect(await pgError(attempt)).toMatch(/row-level security/i);
  });

  test('updates across tenants touch zero rows', async () => {
    const touched = await stack.platform.db.withTenant({ tenantId: ids.tenantB }, async (tx) =>
      rowsOf(await tx.execute(sql`update agents set slug = 'renamed' returning id`)),
    );
    expect(touched).toEqual([]);
    const pm = await stack.call('GET', '/v1/agents/pm', { token: demo });
    expect(pm.status).toBe(200);
  });

  test('the application role cannot turn RLS off or read the table as owner', async () => {
    const attempt = stack.platform.db.withTenant({ tenantId: ids.tenantB }, (tx) =>
      tx.execute(sql`alter table agents disable row level security`),
    );
    expect(await pgError(attempt)).toMatch(/must be owner|permission denied/i);
  });

  test('the audit log is append-only for the application', async () => {
    const attempt = stack.platform.db.withTenant({ tenantId: ids.tenantA }, (tx) =>
      tx.execute(sql`delete from audit_log`),
    );
    expect(await pgError(attempt)).toMatch(/permission denied|append-only/i);
  });
});
