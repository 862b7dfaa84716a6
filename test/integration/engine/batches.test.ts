/**
 * Batches (ADR 160) through the real ASL: the batch machine's Distributed Map, run locally by the
 * interpreter over the item list in the local S3, starts one run per input through the API's
 * path. 200 inputs complete with correct counts and linked runs; failing inputs show per item;
 * the map's own record of its items agrees with the API's; bad input is refused whole; another
 * tenant cannot read a batch; an Idempotency-Key replays the same batch.
 */
import { eq, sql } from 'drizzle-orm';
import { advanceBatchItem, batchAuth } from '../../../shared/batches/items';
import { rowsOf } from '../../../shared/db/client';
import { batches } from '../../../shared/db/schema';
import type { Platform } from '../../../shared/platform/platform';
import { invoke } from '../../../infra/local/handlers';
import { ROOT, startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.adminToken();
  await call('POST', '/v1/agents', {
    body: { slug: 'echo', name: 'echo', model: 'simulator:local', systemPrompt: 'Echo.' },
  });
  await call('POST', '/v1/agents', {
    body: { slug: 'breaker', name: 'breaker', model: 'simulator:fail', systemPrompt: 'Fail.' },
  });
  // One model call per run: the 200-input batch measures the batch, not the workflow.
  await call('POST', '/v1/workflows', {
    body: {
      slug: 'tag-one',
      name: 'Tag one',
      inputs: [{ name: 'title', required: true }],
      nodes: [{ id: 'tag', type: 'agent', agent: 'echo', prompt: 'Tag {{input.title}}' }],
    },
  });
  // A run that takes seconds: a race with it is decided by the code, not by how fast it finishes.
  await call('POST', '/v1/agents', {
    body: { slug: 'slow', name: 'slow', model: 'simulator:slow-3000', systemPrompt: 'Slow.' },
  });
  await call('POST', '/v1/workflows', {
    body: {
      slug: 'slow-one',
      name: 'Slow one',
      inputs: [{ name: 'title', required: true }],
      nodes: [{ id: 'think', type: 'agent', agent: 'slow', prompt: 'Think about {{input.title}}' }],
    },
  });
  // One required input; a title starting with bad- goes on to an agent that always fails.
  await call('POST', '/v1/workflows', {
    body: {
      slug: 'summarise-one',
      name: 'Summarise one',
      inputs: [{ name: 'title', required: true }],
      nodes: [
        { id: 'sum', type: 'agent', agent: 'echo', prompt: 'Summarise {{input.title}}' },
        { id: 'crash', type: 'agent', agent: 'breaker', prompt: '{{input.title}}' },
      ],
      edges: [{ from: 'sum', to: 'crash', if: { path: 'input.title', matches: '^bad-' } }],
    },
  });
}, 60_000);
afterAll(async () => stack?.close(), 120_000);

async function call(
  method: string,
  path: string,
  o: { body?: unknown; rawBody?: string; headers?: Record<string, string>; as?: string } = {},
) {
  return stack.call(method, path, { token: o.as ?? token, ...o });
}

/**
 * A read while the process is busy with hundreds of executions: the test and the runtime share
 * one event loop, so a reused keep-alive socket may be reset under load; a read is safe to repeat.
 */
async function read(path: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call('GET', path);
    } catch (e) {
      if (attempt >= 5 || !(e instanceof TypeError)) throw e;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/** Polls the batch until it is no longer RUNNING. */
async function settled(batchId: string, timeoutMs = 240_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await read(`/v1/batches/${batchId}?limit=1`);
    expect(res.status).toBe(200);
    if (res.body.status !== 'RUNNING') return res.body;
    if (Date.now() > until) throw new Error(`batch ${batchId} still running`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

async function allRuns(batchId: string) {
  const runs: any[] = [];
  let cursor: string | undefined;
  do {
    const res = await read(
      `/v1/batches/${batchId}?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    runs.push(...res.body.runs.items);
    cursor = res.body.runs.nextCursor;
  } while (cursor);
  return runs;
}

test('a batch of 200 inputs with maxConcurrency 20 completes: counts correct, every run linked', async () => {
  // Prepare
  const inputs = Array.from({ length: 200 }, (_, i) => ({ title: `item ${i}` }));

  // Act
  const started = await call('POST', '/v1/workflows/tag-one/batches', {
    body: { inputs, maxConcurrency: 20 },
  });
  expect(started.status).toBe(202);
  const batch = await settled(started.body.batchId, 840_000);

  // Assess
  expect(batch.status).toBe('COMPLETED');
  expect(batch.maxConcurrency).toBe(20);
  expect(batch.counts).toEqual({
    total: 200,
    notStarted: 0,
    queued: 0,
    running: 0,
    waiting: 0,
    succeeded: 200,
    failed: 0,
    cancelled: 0,
  });
  const runs = await allRuns(started.body.batchId);
  expect(runs).toHaveLength(200);
  expect(new Set(runs.map((r) => r.batchIndex))).toEqual(new Set(inputs.map((_, i) => i)));
  for (const r of runs) {
    expect(r.batchId).toBe(started.body.batchId);
    expect(r.input).toEqual(inputs[r.batchIndex]);
  }
  const listed = await read(`/v1/runs?batchId=${started.body.batchId}&limit=200`);
  expect(listed.body.items).toHaveLength(200);
}, 900_000);

test('failing inputs show per item; the map tolerates them and agrees with the API on every item', async () => {
  // Prepare: items 2 and 7 of 10 fail (their title routes to the failing agent)
  const inputs = Array.from({ length: 10 }, (_, i) => ({
    title: i === 2 || i === 7 ? `bad-${i}` : `fine-${i}`,
  }));

  // Act
  const started = await call('POST', '/v1/workflows/summarise-one/batches', {
    body: { inputs, maxConcurrency: 3 },
  });
  const batch = await settled(started.body.batchId);

  // Assess: the batch completes with 2 failed runs, named by their index
  expect(batch.status).toBe('COMPLETED');
  expect(batch.counts).toMatchObject({ total: 10, succeeded: 8, failed: 2, notStarted: 0 });
  const runs = await allRuns(started.body.batchId);
  const failed = runs.filter((r) => r.status === 'FAILED').map((r) => r.batchIndex);
  expect(failed.sort()).toEqual([2, 7]);

  // Assess: the Distributed Map's own record (the interpreter's) agrees with the API item by item
  const tenantId = (await call('GET', '/v1/me')).body.tenant.id;
  const [row] = await stack.platform.db.withTenant({ tenantId }, async (tx) =>
    rowsOf<{ execution_id: string }>(
      await tx.execute(
        sql`select execution_id from batches where id = ${started.body.batchId}::uuid`,
      ),
    ),
  );
  await stack.executions.idle();
  const items = stack.executions.mapItemsOf(row.execution_id) ?? [];
  expect(items.map((i) => i.index).sort((a, b) => a - b)).toEqual(inputs.map((_, i) => i));
  for (const item of items) {
    const run = runs.find((r) => r.batchIndex === item.index);
    expect(item.input).toMatchObject({ index: item.index, input: inputs[item.index] });
    if (run.status === 'SUCCEEDED') {
      expect(item.status).toBe('SUCCEEDED');
      expect(item.output).toEqual({ index: item.index, runId: run.id, status: 'SUCCEEDED' });
    } else {
      expect(item.status).toBe('FAILED');
      expect(item.error?.Error).toBe('BatchItemFailed');
    }
  }
}, 300_000);

test('a refused input refuses the whole batch, naming the input and field; nothing is written', async () => {
  // Prepare
  const before = await call('GET', '/v1/batches?limit=200');

  // Act
  const json = await call('POST', '/v1/workflows/summarise-one/batches', {
    body: { inputs: [{ title: 'ok' }, { title: 'ok' }, { other: 1 }] },
  });
  const jsonl = await call('POST', '/v1/workflows/summarise-one/batches', {
    rawBody: '{"title":"ok"}\n{"title":""}\n',
    headers: { 'content-type': 'application/x-ndjson' },
  });
  const unparsable = await call('POST', '/v1/workflows/summarise-one/batches', {
    rawBody: '{"title":"ok"}\n{"title":\n',
    headers: { 'content-type': 'application/x-ndjson' },
  });
  const tooMany = await call('POST', '/v1/workflows/summarise-one/batches', {
    body: { inputs: Array.from({ length: 10_001 }, () => ({ title: 'x' })) },
  });
  const noVersion = await call('POST', '/v1/workflows/summarise-one/batches', {
    body: { inputs: [{ title: 'x' }], version: 99 },
  });

  // Assess
  expect(json.status).toBe(400);
  expect(json.body.error.details).toEqual([
    { path: 'inputs[2].title', message: 'input "title" is required' },
  ]);
  expect(jsonl.status).toBe(400);
  expect(jsonl.body.error.details[0].path).toBe('line 2: title');
  expect(unparsable.status).toBe(400);
  expect(unparsable.body.error.details[0].path).toBe('line 2');
  expect(tooMany.status).toBe(400);
  expect(tooMany.body.error.details[0].path).toBe('inputs');
  expect(noVersion.status).toBe(400);
  expect(noVersion.body.error.details[0].path).toBe('version');
  const after = await call('GET', '/v1/batches?limit=200');
  expect(after.body.items.length).toBe(before.body.items.length);
});

test('10,000 inputs of ~300 bytes fit one request (3 MB); a body over 4 MiB is a 413', async () => {
  // Prepare: the last input is refused, so the whole body is read and checked but nothing starts.
  const before = await call('GET', '/v1/batches?limit=200');
  const inputs: Record<string, string>[] = Array.from({ length: 10_000 }, (_, i) => ({
    title: `item ${i} ${'x'.repeat(280)}`,
  }));
  inputs[9_999] = { other: 'no title' };

  // Act
  const large = await call('POST', '/v1/workflows/summarise-one/batches', { body: { inputs } });
  const tooLarge = await call('POST', '/v1/workflows/summarise-one/batches', {
    rawBody: JSON.stringify({ inputs: [{ title: 'y'.repeat(4.5 * 1024 * 1024) }] }),
  });

  // Assess
  expect(JSON.stringify({ inputs }).length).toBeGreaterThan(3_000_000);
  expect(large.status).toBe(400);
  expect(large.body.error.details).toEqual([
    { path: 'inputs[9999].title', message: 'input "title" is required' },
  ]);
  expect(tooLarge.status).toBe(413);
  const after = await call('GET', '/v1/batches?limit=200');
  expect(after.body.items.length).toBe(before.body.items.length);
});

test('a JSONL upload starts a batch with its settings in the query string', async () => {
  // Act
  const started = await call('POST', '/v1/workflows/summarise-one/batches?maxConcurrency=2', {
    rawBody: '{"title":"a"}\n{"title":"b"}\n{"title":"c"}\n',
    headers: { 'content-type': 'application/x-ndjson' },
  });

  // Assess
  expect(started.status).toBe(202);
  const batch = await settled(started.body.batchId);
  expect(batch).toMatchObject({ status: 'COMPLETED', maxConcurrency: 2 });
  expect(batch.counts.succeeded).toBe(3);
  const titles = (await allRuns(started.body.batchId))
    .sort((a, b) => a.batchIndex - b.batchIndex)
    .map((r) => r.input.title);
  expect(titles).toEqual(['a', 'b', 'c']);
});

test('the same Idempotency-Key replays the batch; with another request it is refused', async () => {
  // Act
  const headers = { 'idempotency-key': 'batch-key-1' };
  const body = { inputs: [{ title: 'once' }] };
  const first = await call('POST', '/v1/workflows/summarise-one/batches', { body, headers });
  const again = await call('POST', '/v1/workflows/summarise-one/batches', { body, headers });
  const other = await call('POST', '/v1/workflows/summarise-one/batches', {
    body: { inputs: [{ title: 'twice' }] },
    headers,
  });

  // Assess
  expect(first.status).toBe(202);
  expect(again.status).toBe(202);
  expect(again.body.batchId).toBe(first.body.batchId);
  expect(other.status).toBe(422);
  await settled(first.body.batchId);
  expect(await allRuns(first.body.batchId)).toHaveLength(1);
});

test('cancelling a batch stops it: no further runs start, unfinished ones are cancelled', async () => {
  // Prepare: one at a time, so most items have not started when the cancel lands
  const inputs = Array.from({ length: 30 }, (_, i) => ({ title: `slow ${i}` }));
  const started = await call('POST', '/v1/workflows/summarise-one/batches', {
    body: { inputs, maxConcurrency: 1 },
  });

  // Act
  const cancelled = await call('POST', `/v1/batches/${started.body.batchId}/cancel`);
  await stack.executions.idle();

  // Assess
  expect(cancelled.status).toBe(200);
  expect(cancelled.body.status).toBe('CANCELLED');
  const batch = await call('GET', `/v1/batches/${started.body.batchId}?limit=1`);
  expect(batch.body.status).toBe('CANCELLED');
  expect(batch.body.counts.notStarted).toBeGreaterThan(0);
  expect(batch.body.counts.running + batch.body.counts.queued).toBe(0);
  const again = await call('POST', `/v1/batches/${started.body.batchId}/cancel`);
  expect(again.status).toBe(409);
});

test('another tenant cannot read, list or cancel a batch; RLS hides its row from raw queries', async () => {
  // Prepare
  const started = await call('POST', '/v1/workflows/summarise-one/batches', {
    body: { inputs: [{ title: 'private' }] },
  });
  await settled(started.body.batchId);
  const intruder = await stack.signup('Batch intruder');
  const tenantB = (await stack.call('GET', '/v1/me', { token: intruder.accessToken })).body.tenant
    .id;

  // Act
  const read = await call('GET', `/v1/batches/${started.body.batchId}`, {
    as: intruder.accessToken,
  });
  const list = await call('GET', '/v1/batches', { as: intruder.accessToken });
  const cancel = await call('POST', `/v1/batches/${started.body.batchId}/cancel`, {
    as: intruder.accessToken,
  });
  const start = await call('POST', '/v1/workflows/summarise-one/batches', {
    as: intruder.accessToken,
    body: { inputs: [{ title: 'x' }] },
  });
  const raw = await stack.platform.db.withTenant({ tenantId: tenantB }, async (tx) =>
    rowsOf(await tx.execute(sql`select id from batches`)),
  );

  // Assess
  expect(read.status).toBe(404);
  expect(list.body.items).toEqual([]);
  expect(cancel.status).toBe(404);
  expect(start.status).toBe(404);
  expect(raw).toEqual([]);
});

test('a run started while its batch is being cancelled is cancelled by its own item', async () => {
  // Prepare: a batch whose items mostly wait, and an item whose run start races a cancel that
  // commits in between (its run is inserted, then the batch turns CANCELLED before the item
  // re-reads it), as when the cancel's read of the batch's runs came before the run's insert.
  // The runs take seconds: a fast one could finish before the item re-reads (seen on the Data API).
  const inputs = Array.from({ length: 30 }, (_, i) => ({ title: `race ${i}` }));
  const started = await call('POST', '/v1/workflows/slow-one/batches', {
    body: { inputs, maxConcurrency: 1 },
  });
  const batchId: string = started.body.batchId;
  const { platform } = stack;
  const [{ tenant_id: tenantId }] = rowsOf<{ tenant_id: string }>(
    await platform.db.owner.execute(sql`select tenant_id from batches where id = ${batchId}::uuid`),
  );
  const racing: Platform = {
    ...platform,
    executions: {
      stop: (executionId, cause) => platform.executions.stop(executionId, cause),
      executionIdOf: (machine, name) => platform.executions.executionIdOf(machine, name),
      start: async (machine, name, input) => {
        const out = await platform.executions.start(machine, name, input);
        await platform.db.withTenant(batchAuth(tenantId, batchId), (tx) =>
          tx.update(batches).set({ status: 'CANCELLED' }).where(eq(batches.id, batchId)),
        );
        return out;
      },
    },
  };

  // Act
  const outcome = await advanceBatchItem(racing, {
    tenantId,
    batchId,
    index: 29,
    input: { title: 'race 29' },
  });
  await stack.executions.idle();

  // Assess
  expect(outcome).toMatchObject({ index: 29, status: 'CANCELLED', done: true });
  const run = await call('GET', `/v1/runs/${outcome.runId}`);
  expect(run.body.status).toBe('CANCELLED');
  const batch = await call('GET', `/v1/batches/${batchId}?limit=1`);
  expect(batch.body.counts.running + batch.body.counts.queued).toBe(0);
});

test('a batch execution that fails past its Finalize is settled FAILED by the status-change rule', async () => {
  // Prepare: a batch still running (one item at a time), and the event EventBridge sends when its
  // execution fails; one for another execution of the same name is ignored.
  const inputs = Array.from({ length: 30 }, (_, i) => ({ title: `long ${i}` }));
  const started = await call('POST', '/v1/workflows/summarise-one/batches', {
    body: { inputs, maxConcurrency: 1 },
  });
  const batchId: string = started.body.batchId;
  const [row] = rowsOf<{ tenant_id: string; execution_id: string }>(
    await stack.platform.db.owner.execute(
      sql`select tenant_id, execution_id from batches where id = ${batchId}::uuid`,
    ),
  );
  const statusChange = (executionArn: string) => ({
    version: '0',
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: {
      executionArn,
      name: batchId,
      status: 'FAILED',
      input: JSON.stringify({ tenantId: row.tenant_id, batchId, bucket: 'b', itemsKey: 'k' }),
      inputDetails: { included: true },
      error: 'States.TaskFailed',
      cause: 'Finalize: the database was unreachable',
    },
  });

  // Act
  const stale = await invoke(ROOT, 'finalizeBatch', statusChange(`${row.execution_id}-old`));
  const afterStale = await call('GET', `/v1/batches/${batchId}?limit=1`);
  const settledNow = await invoke(ROOT, 'finalizeBatch', statusChange(row.execution_id));
  await stack.platform.executions.stop(row.execution_id, 'test over');
  await stack.executions.idle();

  // Assess
  expect(stale).toMatchObject({ status: 'RUNNING' });
  expect(afterStale.body.status).toBe('RUNNING');
  expect(settledNow).toMatchObject({ status: 'FAILED' });
  const batch = await call('GET', `/v1/batches/${batchId}?limit=1`);
  expect(batch.body.status).toBe('FAILED');
  expect(batch.body.error).toMatchObject({
    name: 'States.TaskFailed',
    message: 'Finalize: the database was unreachable',
  });
});
