/**
 * A schedule whose firings were missed while the process was down runs once when the runtime
 * starts again, not once per missed slot (ADR 121). Two real runtimes on one data directory (or
 * one PostgreSQL database), the second started hours later on the injected clock.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocal, type LocalRuntime } from '../../../infra/local/runtime';
import { freshDatabase } from '../../support/fresh-database';
import { ADMIN_PASSWORD, ROOT } from '../../support/stack';

let dataDir: string;
let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
let clock = Date.parse('2026-12-01T07:30:00Z');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hishamos-restart-'));
  database = process.env.DATABASE_URL ? await freshDatabase(process.env.DATABASE_URL) : undefined;
});
afterAll(async () => {
  await database?.drop();
  // A runtime still closing may write into it: retry the removal a few times.
  await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
});

function start(env: Record<string, string> = {}): Promise<LocalRuntime> {
  return startLocal({
    root: ROOT,
    dataDir,
    port: 0,
    seed: true,
    retryIntervalMs: 0,
    now: () => clock,
    env: {
      DATABASE_URL: database?.url,
      HISHAMOS_DB_DRIVER: process.env.HISHAMOS_DB_DRIVER,
      HISHAMOS_ADMIN_PASSWORD: ADMIN_PASSWORD,
      SIMULATOR_LATENCY_MS: '40',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...env,
    },
  });
}

async function api(rt: LocalRuntime, method: string, path: string, body?: unknown) {
  const login = await fetch(`${rt.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@localhost', password: ADMIN_PASSWORD, tenant: 'demo' }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const res = await fetch(`${rt.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

test('slots missed while the runtime was down fire once at start', async () => {
  // Prepare: an hourly schedule, then the process stops before its first firing
  const first = await start();
  const created = await api(first, 'POST', '/v1/schedules', {
    workflowId: 'feature-pipeline',
    cron: '0 * * * *',
    timezone: 'UTC',
    input: { feature: 'nightly' },
  });
  await first.close();

  // Act: back 3 h 20 min later (08:00, 09:00, 10:00 and 11:00 were missed)
  clock = Date.parse('2026-12-01T11:20:00Z');
  const second = await start({ HISHAMOS_SCHEDULES: '1', HISHAMOS_SCHEDULE_POLL_MS: '3600000' });
  try {
    await second.executions.idle();
    const runs = await api(second, 'GET', `/v1/runs?scheduleId=${created.body.id}`);
    const schedule = await api(second, 'GET', `/v1/schedules/${created.body.id}`);
    await second.schedules.tick();
    const again = await api(second, 'GET', `/v1/runs?scheduleId=${created.body.id}`);

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.nextFireAt).toBe('2026-12-01T08:00:00.000Z');
    expect(runs.body.items).toHaveLength(1);
    expect(runs.body.items[0]).toMatchObject({
      scheduleId: created.body.id,
      scheduledFor: '2026-12-01T08:00:00.000Z',
    });
    expect(schedule.body).toMatchObject({
      lastFiredAt: '2026-12-01T08:00:00.000Z',
      nextFireAt: '2026-12-01T12:00:00.000Z',
    });
    expect(again.body.items).toHaveLength(1);
  } finally {
    await second.close();
  }
  // Two starts of a persisted runtime and a run: ~40 s with two Jest workers on 2 cores.
}, 180_000);
