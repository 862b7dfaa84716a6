/**
 * HishamOS side: the local runtime (real handlers, run-workflow ASL in aws-local-stepfunctions,
 * simulator at zero latency) on PostgreSQL or in-memory PGlite. A run is started the way the API
 * starts it (`startRun`, the domain function) or through the HTTP API itself (start, then poll).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { startLocal } from '../../infra/local/runtime';
import { WorkflowCreateBody } from '../../shared/api/contracts/workflows';
import type { AuthContext } from '../../shared/auth/context';
import { createWorkflow } from '../../shared/catalog/workflows';
import { rowsOf } from '../../shared/db/client';
import { runs } from '../../shared/db/schema';
import { Conflict } from '../../shared/errors';
import { startRun } from '../../shared/runs/start-run';
import type { Workload } from './workloads';

const PASSWORD = 'bench-password-123';
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'WAITING']);

export interface HishamSide {
  /** In-process: startRun, then wait until the local executions are idle. */
  runs(workload: string, count: number): Promise<void>;
  /** Through the HTTP API: POST …/runs, then GET /v1/runs/:id every `pollMs` until terminal. */
  apiRuns(workload: string, count: number, pollMs: number): Promise<void>;
  /** State transitions of the last in-process batch's executions (local history), summed. */
  lastTransitions(): Promise<number>;
  /** Runs by status, to prove every measured run succeeded. */
  statuses(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export async function startHishamOS(
  root: string,
  databaseUrl: string | undefined,
  workloads: Workload[],
): Promise<HishamSide> {
  const rt = await startLocal({
    root,
    dataDir: mkdtempSync(join(tmpdir(), 'hishamos-vs-lg-')),
    port: 0,
    seed: true,
    retryIntervalMs: 0,
    env: {
      HISHAMOS_PGLITE_MEMORY: '1',
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'silent',
      SIMULATOR_LATENCY_MS: '0',
      HISHAMOS_ADMIN_PASSWORD: PASSWORD,
      AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_PER_MINUTE: '1000000',
      TENANT_RATE_LIMIT_PER_MINUTE: '1000000',
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
  // A second variant on the same database finds the workflows made by the first.
  for (const w of workloads)
    await createWorkflow(
      p,
      auth,
      WorkflowCreateBody.parse({ slug: w.slug, name: w.label, nodes: w.nodes, edges: w.edges }),
    ).catch((e) => {
      if (!(e instanceof Conflict)) throw e;
    });

  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${rt.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300)
      throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const login = await call('POST', '/v1/auth/login', undefined, {
    email: 'admin@localhost',
    password: PASSWORD,
    tenant: 'demo',
  });
  const token = String(login.accessToken);

  let seq = 0;
  let lastRunIds: string[] = [];
  return {
    async runs(workload, count) {
      const started = [];
      for (let i = 0; i < count; i++)
        started.push(startRun(p, auth, workload, { feature: `bench ${seq++}` }));
      lastRunIds = (await Promise.all(started)).map((r) => r.runId);
      await rt.executions.idle();
    },
    async lastTransitions() {
      let total = 0;
      for (const runId of lastRunIds) {
        const [row] = await p.db.owner
          .select({ executionIds: runs.executionIds })
          .from(runs)
          .where(eq(runs.id, runId));
        for (const id of (row?.executionIds as string[] | undefined) ?? [])
          total += rt.executions.transitionsOf(id) ?? 0;
      }
      return total;
    },
    async apiRuns(workload, count, pollMs) {
      const one = async () => {
        const { runId } = await call('POST', `/v1/workflows/${workload}/runs`, token, {
          input: { feature: `bench ${seq++}` },
        });
        for (;;) {
          const run = await call('GET', `/v1/runs/${runId}`, token);
          if (TERMINAL.has(String(run.status))) {
            if (run.status !== 'SUCCEEDED') throw new Error(`run ${runId} ended ${run.status}`);
            return;
          }
          await new Promise((r) => setTimeout(r, pollMs));
        }
      };
      await Promise.all(Array.from({ length: count }, one));
    },
    async statuses() {
      const rows = rowsOf<{ status: string; n: number }>(
        await p.db.owner.execute(sql`select status, count(*)::int as n from runs group by status`),
      );
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },
    close: () => rt.close(),
  };
}
