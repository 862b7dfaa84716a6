/**
 * RDS Data API round trips per engine task: feature-pipeline's handlers called in the order its
 * state machine calls them, on the local Data API endpoint (the Lambda code path), counting the
 * endpoint's calls around each task. Every call is one HTTPS request in AWS. Also prints the
 * largest row and response served.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/data-api-round-trips.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import type { DataApiOperation } from '../infra/local/data-api/server';
import { startLocal } from '../infra/local/runtime';
import type { AuthContext } from '../shared/auth/context';
import { rowsOf } from '../shared/db/client';
import { runAgentStep } from '../shared/runs/engine/agent-step';
import { finalizeRun } from '../shared/runs/engine/finalize-run';
import { planRun } from '../shared/runs/engine/plan-run';
import { startRun } from '../shared/runs/start-run';
import { freshDatabase } from '../test/support/fresh-database';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const base = process.env.DATABASE_URL;
if (!base) throw new Error('set DATABASE_URL to a PostgreSQL server with pgvector');
const database = await freshDatabase(base);
const rt = await startLocal({
  root: resolve(import.meta.dirname, '..'),
  dataDir: mkdtempSync(join(tmpdir(), 'hishamos-bench-')),
  port: 0,
  retryIntervalMs: 0,
  env: {
    HISHAMOS_DB_DRIVER: 'data-api',
    DATABASE_URL: database.url,
    LOG_LEVEL: 'silent',
    SIMULATOR_LATENCY_MS: '0',
    HISHAMOS_ADMIN_PASSWORD: 'bench-password-123',
  },
});
const api = rt.dataApi;
if (!api) throw new Error('the runtime did not start the Data API endpoint');
const p = {
  ...rt.platform,
  executions: {
    start: async () => ({ executionId: 'direct' }),
    stop: async () => undefined,
    executionIdOf: () => 'direct',
  },
};
const [owner] = rowsOf<{ tenant_id: string; user_id: string }>(
  await p.db.owner.execute(
    sql`select m.tenant_id, m.user_id from memberships m join tenants t on t.id = m.tenant_id where t.slug = 'demo'`,
  ),
);
const auth: AuthContext = {
  tenantId: owner.tenant_id,
  userId: owner.user_id,
  role: 'owner',
  via: 'token',
};

const snapshot = () => ({ ...api.calls });
const diff = (a: Record<DataApiOperation, number>, b: Record<DataApiOperation, number>) =>
  Object.fromEntries(
    Object.entries(b).map(([k, v]) => [k, v - a[k as DataApiOperation]]),
  ) as Record<DataApiOperation, number>;
const total = (d: Record<string, number>) => Object.values(d).reduce((n, v) => n + v, 0);
const tasks: Record<string, Record<DataApiOperation, number>[]> = {};
const count = (task: string, d: Record<DataApiOperation, number>) => (tasks[task] ??= []).push(d);

// The tasks in the order the state machine runs them (ADR 110): one ready agent step runs alone
// and its completion plans (`plan: true`); several run in the Map, then Plan runs.
for (let i = 0; i < 5; i++) {
  let before = snapshot();
  const { runId } = await startRun(p, auth, 'feature-pipeline', { feature: `bench ${i}` });
  count('start', diff(before, snapshot()));
  const ids = { tenantId: auth.tenantId, runId, executionId: 'direct' };
  before = snapshot();
  let plan = await planRun(p, ids);
  count('plan', diff(before, snapshot()));
  const nodeOf = async (stepId: string) => {
    const [row] = rowsOf<{ node_id: string }>(
      await p.db.owner.execute(sql`select node_id from run_steps where id = ${stepId}::uuid`),
    );
    return row.node_id;
  };
  while (!plan.done) {
    if (plan.next === 'agent' && plan.stepId) {
      const node = await nodeOf(plan.stepId);
      before = snapshot();
      const result = await runAgentStep(p, { ...ids, stepId: plan.stepId, plan: true });
      count(`agent ${node} (plans)`, diff(before, snapshot()));
      if (!result.plan) throw new Error(`step ${node} did not plan`);
      plan = result.plan;
      continue;
    }
    for (const s of plan.ready) {
      const node = await nodeOf(s.stepId);
      before = snapshot();
      await runAgentStep(p, { ...ids, stepId: s.stepId });
      count(`agent ${node} (Map)`, diff(before, snapshot()));
    }
    before = snapshot();
    plan = await planRun(p, ids);
    count('plan', diff(before, snapshot()));
  }
  before = snapshot();
  await finalizeRun(p, { tenantId: auth.tenantId, runId });
  count('finalize', diff(before, snapshot()));
}
await rt.close();
await database.drop();

console.log('Data API round trips per engine task (feature-pipeline, 5 runs, mean):');
for (const [task, list] of Object.entries(tasks)) {
  const mean = (op: DataApiOperation) => list.reduce((n, d) => n + d[op], 0) / list.length;
  const all = list.reduce((n, d) => n + total(d), 0) / list.length;
  console.log(
    `  ${task.padEnd(22)} ${all.toFixed(1).padStart(5)} calls  (Execute ${mean('ExecuteStatement').toFixed(1)}, Begin ${mean('BeginTransaction').toFixed(1)}, Commit ${mean('CommitTransaction').toFixed(1)}, Rollback ${mean('RollbackTransaction').toFixed(1)})  over ${list.length} tasks`,
  );
}
console.log(`  largest row ${api.largest.row} B, largest response ${api.largest.response} B`);
