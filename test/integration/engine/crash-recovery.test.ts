/**
 * kill -9 mid-run: the local runtime runs in a child process, ten runs of a two-step workflow on a
 * slow simulated model are in flight, the process is killed without warning, and a new process on
 * the same data (PGlite on disk, or the PostgreSQL database at DATABASE_URL) must bring every run to
 * SUCCEEDED, or FAILED with a reason. Attempts that were in flight at the kill are charged, flagged.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from '../../support/stack';
import { freshServerDatabase } from '../../support/databases';

const PASSWORD = 'crash-test-admin-password';
const RUNS = 10;
let dataDir: string;
let database: { url: string; drop: () => Promise<void> } | undefined;
let child: ChildProcess | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hishamos-crash-'));
  if (process.env.DATABASE_URL) database = await freshServerDatabase('hishamos_crash');
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts the runtime in a child process and resolves with its URL once it serves. */
function startChild(): Promise<{ url: string; process: ChildProcess }> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'test/support/runtime-child.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        HISHAMOS_DATA_DIR: dataDir,
        HISHAMOS_ADMIN_PASSWORD: PASSWORD,
        HISHAMOS_SCHEDULES: '0',
        LOG_LEVEL: 'error',
        DATABASE_URL: database?.url ?? '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  proc.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('{"url"')) resolve({ url: JSON.parse(line).url, process: proc });
    });
    proc.once('exit', (code) =>
      reject(new Error(`runtime exited (${code}): ${stderr.slice(-2000)}`)),
    );
  });
}

async function call(url: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

const login = async (url: string) =>
  (
    await call(url, 'POST', '/v1/auth/login', undefined, {
      email: 'admin@localhost',
      password: PASSWORD,
    })
  ).body.accessToken as string;

/** Polls until `done` holds for the value `read` returns. */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('every run in flight at a kill -9 finishes or fails with a reason after a restart', async () => {
  // Prepare: ten runs of a -> b on a model that answers after six seconds (two let a loaded
  // machine start the last run after the first had left its step, so no moment had all ten in flight)
  const first = await startChild();
  child = first.process;
  let token = await login(first.url);
  await call(first.url, 'POST', '/v1/agents', token, {
    slug: 'slow',
    name: 'Slow',
    model: 'simulator:slow-6000',
    systemPrompt: 'x',
  });
  const wf = await call(first.url, 'POST', '/v1/workflows', token, {
    slug: 'slow-pair',
    name: 'Slow pair',
    nodes: [
      { id: 'a', type: 'agent', agent: 'slow', prompt: 'a' },
      { id: 'b', type: 'agent', agent: 'slow', prompt: '{{steps.a.output}}' },
    ],
    edges: [{ from: 'a', to: 'b' }],
  });
  expect(wf.status).toBe(201);
  const runIds: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = await call(first.url, 'POST', '/v1/workflows/slow-pair/runs', token, {
      input: {},
    });
    expect(started.status).toBe(202);
    runIds.push(started.body.runId);
  }
  const runsOf = async (url: string) =>
    Promise.all(runIds.map(async (id) => (await call(url, 'GET', `/v1/runs/${id}`, token)).body));
  // Every run has a step in flight (a provider call is under way) before the kill.
  const before = await until(
    () => runsOf(first.url),
    (rs) => rs.every((r) => r.steps.some((s: any) => s.status === 'RUNNING')),
    30_000,
  );
  expect(before.map((r) => r.status)).toEqual(Array(RUNS).fill('RUNNING'));

  // Act: kill without warning, start again on the same data
  child.kill('SIGKILL');
  await new Promise((r) => child?.once('exit', r));
  const second = await startChild();
  child = second.process;
  token = await login(second.url);
  const after = await until(
    () => runsOf(second.url),
    (rs) => rs.every((r) => ['SUCCEEDED', 'FAILED'].includes(r.status)),
    120_000,
  );

  // Assess: settled, each failure named, and the interrupted calls charged and flagged
  for (const run of after) {
    expect({ id: run.id, status: run.status }).toEqual({
      id: run.id,
      status: expect.stringMatching(/^(SUCCEEDED|FAILED)$/),
    });
    if (run.status === 'FAILED') expect(run.error?.name).toEqual(expect.any(String));
  }
  const interrupted = after.flatMap((r) =>
    r.steps.flatMap((s: any) =>
      s.attempts.filter((a: any) => a.errorName === 'AttemptInterrupted'),
    ),
  );
  expect(interrupted.length).toBeGreaterThanOrEqual(RUNS);
  const events = await call(second.url, 'GET', `/v1/runs/${runIds[0]}/events?after=0`, token);
  expect(events.body.items.map((e: any) => e.type)).toContain('run.resumed');
}, 240_000);
