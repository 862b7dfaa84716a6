/**
 * Schedules through the real local runtime on an injected clock (ADR 121): validation naming the
 * field, next firings in the zone, a firing that is a run marked with its schedule, one run per
 * slot even with two timers, disable/enable, the published version, deletion, and tenant isolation.
 */
import { schedules } from '../../../shared/db/schema';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let key: string;
// Tuesday 1 December 2026, 08:30 in Berlin (CET, UTC+1).
let clock = Date.parse('2026-12-01T07:30:00Z');

beforeAll(async () => {
  stack = await startTestStack({ now: () => clock });
  // An API key outlives the clock's jumps (access tokens expire after 30 platform minutes).
  const created = await stack.call('POST', '/v1/api-keys', {
    token: await stack.adminToken(),
    body: { name: 'schedules test', role: 'admin' },
  });
  key = created.body.secret;
  await call('POST', '/v1/workflows', {
    slug: 'morning-digest',
    name: 'Morning digest',
    inputs: [{ name: 'topic', required: true }],
    nodes: [{ id: 'sum', type: 'agent', agent: 'pm', prompt: 'Digest {{input.topic}}' }],
  });
});
afterAll(async () => stack?.close());

function call(method: string, path: string, body?: unknown, token = key) {
  return stack.call(method, path, { token, body });
}

async function runsOf(scheduleId: string, token = key) {
  const res = await call('GET', `/v1/runs?scheduleId=${scheduleId}`, undefined, token);
  expect(res.status).toBe(200);
  return res.body.items as any[];
}

async function tick() {
  await stack.schedules.tick();
  await stack.executions.idle();
}

const daily = (extra: Record<string, unknown> = {}) => ({
  workflowId: 'morning-digest',
  cron: '0 9 * * *',
  timezone: 'Europe/Berlin',
  input: { topic: 'incidents' },
  ...extra,
});

test('bad schedules are 400s naming the field and the reason', async () => {
  const cases = await Promise.all([
    call('POST', '/v1/schedules', daily({ cron: '61 * * * *' })),
    call('POST', '/v1/schedules', daily({ cron: '0 0 9 * * *' })),
    call('POST', '/v1/schedules', daily({ cron: '0 0 30 2 *' })),
    call('POST', '/v1/schedules', daily({ timezone: 'Mars/Olympus_Mons' })),
    call('POST', '/v1/schedules', daily({ timezone: '+02:00' })),
    call('POST', '/v1/schedules', daily({ input: {} })),
    call('POST', '/v1/schedules', daily({ workflowId: 'no-such-flow' })),
    call('POST', '/v1/schedules', daily({ version: 9 })),
    call('POST', '/v1/schedules', daily({ every: 'day' })),
  ]);
  const listed = await call('GET', '/v1/schedules');

  expect(cases.map((c) => c.status)).toEqual(Array(cases.length).fill(400));
  expect(cases.map((c) => c.body.error.details?.[0]?.path)).toEqual([
    'cron',
    'cron',
    'cron',
    'timezone',
    'timezone',
    'input.topic',
    'workflowId',
    'version',
    'every',
  ]);
  expect(cases[0].body.error.details[0].message).toContain('minute: 61 is outside 0-59');
  expect(cases[1].body.error.details[0].message).toContain('expected 5 fields');
  expect(cases[2].body.error.details[0].message).toContain('never fires');
  expect(listed.body.items).toEqual([]);
});

test('a schedule fires on the injected clock as a run marked with its schedule', async () => {
  // Prepare
  const created = await call('POST', '/v1/schedules', daily());
  const id = created.body.id;

  // Act: not yet due, then due
  clock = Date.parse('2026-12-01T07:59:00Z');
  await tick();
  const early = await runsOf(id);
  clock = Date.parse('2026-12-01T08:00:20Z');
  await tick();
  const fired = await runsOf(id);
  const schedule = await call('GET', `/v1/schedules/${id}`);
  const run = await call('GET', `/v1/runs/${fired[0]?.id}`);

  // Assess
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({
    workflowSlug: 'morning-digest',
    version: null,
    enabled: true,
    nextFireAt: '2026-12-01T08:00:00.000Z',
    upcoming: [
      '2026-12-02T08:00:00.000Z',
      '2026-12-03T08:00:00.000Z',
      '2026-12-04T08:00:00.000Z',
      '2026-12-05T08:00:00.000Z',
      '2026-12-06T08:00:00.000Z',
    ],
  });
  expect(early).toEqual([]);
  expect(fired).toHaveLength(1);
  expect(run.body).toMatchObject({
    status: 'SUCCEEDED',
    scheduleId: id,
    scheduledFor: '2026-12-01T08:00:00.000Z',
    input: { topic: 'incidents' },
  });
  expect(schedule.body).toMatchObject({
    nextFireAt: '2026-12-02T08:00:00.000Z',
    lastFiredAt: '2026-12-01T08:00:00.000Z',
    lastRunId: fired[0].id,
    lastError: null,
  });
});

test('two timers firing the same slot start one run', async () => {
  // Prepare
  clock = Date.parse('2026-12-01T09:00:00Z');
  const created = await call('POST', '/v1/schedules', daily({ cron: '30 10 * * *' }));
  clock = Date.parse('2026-12-01T09:30:05Z');

  // Act
  await Promise.all([stack.schedules.tick(), stack.schedules.tick(), stack.schedules.tick()]);
  await stack.executions.idle();

  // Assess
  const runs = await runsOf(created.body.id);
  expect(runs).toHaveLength(1);
  expect(runs[0].scheduledFor).toBe('2026-12-01T09:30:00.000Z');
});

test('a disabled schedule does not fire; enabling it again fires from now on', async () => {
  // Prepare
  clock = Date.parse('2026-12-01T10:00:00Z');
  const created = await call('POST', '/v1/schedules', daily({ cron: '0 * * * *' }));
  const id = created.body.id;

  // Act
  const disabled = await call('PATCH', `/v1/schedules/${id}`, { enabled: false });
  clock = Date.parse('2026-12-01T13:10:00Z');
  await tick();
  const whileOff = await runsOf(id);
  const enabled = await call('PATCH', `/v1/schedules/${id}`, { enabled: true });

  // Assess
  expect(disabled.body).toMatchObject({ enabled: false, nextFireAt: null, upcoming: [] });
  expect(whileOff).toEqual([]);
  expect(enabled.body).toMatchObject({ enabled: true, nextFireAt: '2026-12-01T14:00:00.000Z' });
});

test('a schedule without a version runs the published one; a pinned one its own', async () => {
  // Prepare: v2 saved, v1 published again
  await call('PATCH', '/v1/workflows/morning-digest', {
    nodes: [{ id: 'sum', type: 'agent', agent: 'pm', prompt: 'V2 digest {{input.topic}}' }],
  });
  await call('POST', '/v1/workflows/morning-digest/publish', { version: 1 });
  clock = Date.parse('2026-12-01T14:00:00Z');
  const published = await call('POST', '/v1/schedules', daily({ cron: '15 15 * * *' }));
  const pinned = await call('POST', '/v1/schedules', daily({ cron: '15 15 * * *', version: 2 }));

  // Act
  clock = Date.parse('2026-12-01T14:15:00Z');
  await tick();

  // Assess
  const [a] = await runsOf(published.body.id);
  const [b] = await runsOf(pinned.body.id);
  expect(a.workflowVersion).toBe(1);
  expect(b.workflowVersion).toBe(2);
});

test('a firing whose input no longer fits records why and moves on', async () => {
  // Prepare
  clock = Date.parse('2026-12-01T15:00:00Z');
  await call('POST', '/v1/workflows', {
    slug: 'strict-flow',
    name: 'Strict',
    inputs: [{ name: 'topic', required: true }],
    nodes: [{ id: 'a', type: 'agent', agent: 'pm', prompt: '{{input.topic}}' }],
  });
  const created = await call('POST', '/v1/schedules', daily({ workflowId: 'strict-flow' }));
  await call('PATCH', '/v1/workflows/strict-flow', {
    inputs: [
      { name: 'topic', required: true },
      { name: 'team', required: true },
    ],
  });

  // Act
  clock = Date.parse('2026-12-02T08:00:01Z');
  await tick();

  // Assess
  const schedule = await call('GET', `/v1/schedules/${created.body.id}`);
  expect(await runsOf(created.body.id)).toEqual([]);
  expect(schedule.body.lastError).toContain('input "team" is required');
  expect(schedule.body.nextFireAt).toBe('2026-12-03T08:00:00.000Z');
});

test("another tenant neither sees nor changes a tenant's schedules or their runs", async () => {
  // Prepare
  const other = await stack.signup('Schedule outsider');
  const [mine] = (await call('GET', '/v1/schedules?workflowId=morning-digest')).body.items;

  // Act
  const list = await call('GET', '/v1/schedules', undefined, other.accessToken);
  const get = await call('GET', `/v1/schedules/${mine.id}`, undefined, other.accessToken);
  const patch = await call(
    'PATCH',
    `/v1/schedules/${mine.id}`,
    { enabled: false },
    other.accessToken,
  );
  const del = await call('DELETE', `/v1/schedules/${mine.id}`, undefined, other.accessToken);
  const runs = await runsOf(mine.id, other.accessToken);
  const onTheirWorkflow = await call(
    'POST',
    '/v1/schedules',
    daily({ workflowId: mine.workflowId }),
    other.accessToken,
  );
  // Row-level security itself: the other tenant's transaction sees no schedule rows.
  const rows = await stack.platform.db.withTenant(
    { tenantId: (await call('GET', '/v1/me', undefined, other.accessToken)).body.tenant.id },
    (tx) => tx.select({ id: schedules.id }).from(schedules),
  );

  // Assess
  expect(list.body.items).toEqual([]);
  expect([get.status, patch.status, del.status]).toEqual([404, 404, 404]);
  expect(runs).toEqual([]);
  expect(onTheirWorkflow.status).toBe(400);
  expect(onTheirWorkflow.body.error.details[0].path).toBe('workflowId');
  expect(rows).toEqual([]);
  expect((await call('GET', `/v1/schedules/${mine.id}`)).body.enabled).toBe(true);
});

test('deleting a schedule stops it and keeps its past runs', async () => {
  const [first] = (await call('GET', '/v1/schedules?workflowId=morning-digest')).body.items.slice(
    -1,
  );
  const before = await runsOf(first.id);

  const del = await call('DELETE', `/v1/schedules/${first.id}`);
  const gone = await call('GET', `/v1/schedules/${first.id}`);
  const kept = await call('GET', `/v1/runs/${before[0].id}`);
  const audit = await call('GET', '/v1/audit?action=schedule.delete');

  expect(before.length).toBeGreaterThan(0);
  expect(del.status).toBe(204);
  expect(gone.status).toBe(404);
  expect(kept.status).toBe(200);
  expect(audit.body.items[0].target).toBe(`schedule:${first.id}`);
});
