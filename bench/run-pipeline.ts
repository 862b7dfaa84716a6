/**
 * Wall time of one feature-pipeline run with the simulator, and the orchestration overhead per step:
 * the same runs through the ASL in aws-local-stepfunctions versus a baseline that calls the very
 * same task handlers directly in plan order (no interpreter), both on in-memory PGlite, same process.
 *   npx tsx bench/run-pipeline.ts [runs=20]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLocal } from '../infra/local/runtime';
import { planRun } from '../shared/runs/engine/plan-run';
import { runAgentStep } from '../shared/runs/engine/agent-step';
import { finalizeRun } from '../shared/runs/engine/finalize-run';
import { startRun } from '../shared/runs/start-run';
import type { AuthContext } from '../shared/auth/context';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../shared/db/client';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const N = Number(process.argv[2] ?? 20);
const root = resolve(import.meta.dirname, '..');

for (const latency of [0, 120]) {
  const rt = await startLocal({
    root,
    dataDir: mkdtempSync(join(tmpdir(), 'hishamos-bench-')),
    port: 0,
    retryIntervalMs: 0,
    env: {
      HISHAMOS_PGLITE_MEMORY: '1',
      LOG_LEVEL: 'silent',
      SIMULATOR_LATENCY_MS: String(latency),
      HISHAMOS_ADMIN_PASSWORD: 'bench-password-123',
    },
  });
  const p = rt.platform;
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

  const viaAsl: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    await startRun(p, auth, 'feature-pipeline', { feature: `bench ${i}` });
    await rt.executions.idle();
    viaAsl.push(performance.now() - t0);
  }

  // Baseline: same handlers, same order, no interpreter and no Map concurrency.
  const direct: number[] = [];
  const noop = {
    start: async () => ({ executionId: 'direct' }),
    stop: async () => undefined,
    executionIdOf: () => 'direct',
  };
  const platformDirect = { ...p, executions: noop };
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const { runId } = await startRun(platformDirect, auth, 'feature-pipeline', {
      feature: `direct ${i}`,
    });
    for (;;) {
      const plan = await planRun(platformDirect, { tenantId: auth.tenantId, runId });
      if (plan.done) break;
      for (const s of plan.ready)
        await runAgentStep(platformDirect, {
          tenantId: auth.tenantId,
          runId,
          stepId: s.stepId,
          executionId: 'direct',
        });
    }
    await finalizeRun(platformDirect, { tenantId: auth.tenantId, runId });
    direct.push(performance.now() - t0);
  }
  await rt.close();

  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const p95 = (xs: number[]) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
  console.log(
    `feature-pipeline (5 steps, reviewer ∥ qa), simulator latency ${latency} ms, ${N} runs each, PGlite in memory`,
  );
  console.log(
    `  through ASL (aws-local-stepfunctions)   p50 ${med(viaAsl).toFixed(0)} ms  p95 ${p95(viaAsl).toFixed(0)} ms  per step ${(med(viaAsl) / 5).toFixed(1)} ms`,
  );
  console.log(
    `  baseline: handlers called directly      p50 ${med(direct).toFixed(0)} ms  p95 ${p95(direct).toFixed(0)} ms  per step ${(med(direct) / 5).toFixed(1)} ms`,
  );
  console.log(
    `  ratio ASL / direct                      ${(med(viaAsl) / med(direct)).toFixed(2)}  (below 1 when the parallel branch overlaps)`,
  );
  console.log(
    `  orchestration overhead per step         ${((med(viaAsl) - 4 * latency) / 5).toFixed(1)} ms  (run time minus the critical path of simulated model latency, / 5 steps)`,
  );
}
