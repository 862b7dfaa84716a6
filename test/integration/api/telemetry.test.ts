/**
 * Telemetry through the real local runtime: request ids on every answer and log line, the ids of
 * the tenant, run, step and attempt on the lines written while a run executes, the Prometheus
 * endpoint behind an admin credential, and readiness.
 */
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
const lines: Record<string, unknown>[] = [];
beforeAll(async () => {
  stack = await startTestStack({
    env: { LOG_LEVEL: 'debug' },
    logSink: (line) => lines.push(JSON.parse(line)),
  });
});
afterAll(async () => stack?.close());

test('every answer carries x-request-id: the client one echoed, else a fresh one', async () => {
  const token = await stack.adminToken();

  const mine = await stack.call('GET', '/v1/agents', {
    token,
    headers: { 'x-request-id': 'ci-build-77.step-3' },
  });
  const fresh = await stack.call('GET', '/v1/agents', { token });
  const again = await stack.call('GET', '/v1/agents', { token });
  const error = await stack.call('GET', '/v1/runs/not-a-uuid', { token });
  const noRoute = await stack.call('GET', '/v1/nothing-here');
  const hostile = await stack.call('GET', '/health', {
    headers: { 'x-request-id': `${'a'.repeat(200)} <script>` },
  });

  expect(mine.headers.get('x-request-id')).toBe('ci-build-77.step-3');
  expect(fresh.headers.get('x-request-id')).toMatch(/^[\w-]{16,}$/);
  expect(again.headers.get('x-request-id')).not.toBe(fresh.headers.get('x-request-id'));
  expect(error.status).toBe(400);
  expect(error.headers.get('x-request-id')).toBeTruthy();
  expect(noRoute.status).toBe(404);
  expect(noRoute.headers.get('x-request-id')).toBeTruthy();
  expect(hostile.headers.get('x-request-id')).not.toContain('script');
  expect(hostile.headers.get('x-request-id')?.length).toBeLessThanOrEqual(128);
});

test('log lines of a request carry its request id and tenant', async () => {
  const token = await stack.adminToken();
  const me = await stack.call('GET', '/v1/me', { token });

  await stack.call('GET', '/v1/workflows', { token, headers: { 'x-request-id': 'trace-me-1' } });

  const line = lines.find((l) => l.requestId === 'trace-me-1' && l.message === 'request');
  expect(line).toMatchObject({
    route: 'GET /v1/workflows',
    status: 200,
    tenantId: me.body.tenant?.id ?? me.body.tenantId,
  });
});

test("a run's model calls are logged with tenant, run, step and attempt ids", async () => {
  const token = await stack.adminToken();
  const started = await stack.call('POST', '/v1/workflows/feature-pipeline/runs', {
    token,
    body: { input: { feature: 'Telemetry' } },
  });
  const run = await stack.waitForRun(token, started.body.runId);

  const attempts = lines.filter((l) => l.message === 'llm attempt' && l.runId === run.id);
  expect(attempts).toHaveLength(5);
  for (const l of attempts) {
    expect(l).toMatchObject({ runId: run.id, attempt: 1 });
    expect(run.steps.map((s: { id: string }) => s.id)).toContain(l.stepId);
    expect(typeof l.tenantId).toBe('string');
    expect(typeof l.nodeId).toBe('string');
  }
});

test('/metrics renders Prometheus counters for admins only', async () => {
  const token = await stack.adminToken();
  const started = await stack.call('POST', '/v1/workflows/feature-pipeline/runs', {
    token,
    body: { input: { feature: 'Metrics' } },
  });
  await stack.waitForRun(token, started.body.runId);
  const viewerKey = await stack.call('POST', '/v1/api-keys', {
    token,
    body: { name: 'viewer scraper', role: 'viewer' },
  });

  const anonymous = await fetch(`${stack.url}/metrics`);
  const viewer = await fetch(`${stack.url}/metrics`, {
    headers: { authorization: `Bearer ${viewerKey.body.secret ?? viewerKey.body.key}` },
  });
  const admin = await fetch(`${stack.url}/metrics`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await admin.text();

  expect(anonymous.status).toBe(401);
  expect(viewer.status).toBe(403);
  expect(admin.status).toBe(200);
  expect(admin.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const value = (series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.split(' ')[1]) : 0;
  };
  expect(value('hishamos_runs_started_total')).toBeGreaterThanOrEqual(1);
  expect(value('hishamos_runs_finished_total{status="SUCCEEDED"}')).toBeGreaterThanOrEqual(1);
  expect(
    value('hishamos_steps_finished_total{status="SUCCEEDED",type="agent"}'),
  ).toBeGreaterThanOrEqual(5);
  expect(
    value('hishamos_llm_attempts_total{provider="simulator",outcome="success"}'),
  ).toBeGreaterThanOrEqual(5);
  expect(
    value('hishamos_llm_tokens_total{provider="simulator",direction="output"}'),
  ).toBeGreaterThan(0);
  expect(text).toContain('# TYPE hishamos_circuit_breaker_open gauge');
  expect(text).toContain('# TYPE hishamos_rate_limit_rejections_total counter');
});

test('/ready checks the database', async () => {
  const ready = await stack.call('GET', '/ready');

  expect(ready.status).toBe(200);
  expect(ready.body).toMatchObject({ status: 'ready', checks: { database: { status: 'ok' } } });
});
