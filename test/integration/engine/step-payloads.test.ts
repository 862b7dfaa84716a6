/**
 * Step payloads above the inline threshold live in the artifacts bucket (issue 10 item 3, ADR 105):
 * a >100 KB model answer is read by the next step's template, the run succeeds, the rows stay
 * under the Data API's 64 KB, lists show a preview, the step route the whole value, and the
 * objects are reachable only through their tenant.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../../shared/db/client';
import { parsePayloads, resolvePayload } from '../../../shared/runs/step-payloads';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
let tenantId: string;
let run: any;

const DATA_API_ROW_LIMIT = 64 * 1024;
const DATA_API_RESPONSE_LIMIT = 1024 * 1024;

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.adminToken();
  for (const [slug, model] of [
    ['writer', 'simulator:big-120'],
    ['reader', 'simulator:local'],
  ]) {
    const res = await stack.call('POST', '/v1/agents', {
      token,
      body: { slug, name: slug, model, systemPrompt: `${slug} agent` },
    });
    expect(res.status).toBe(201);
  }
  const wf = await stack.call('POST', '/v1/workflows', {
    token,
    body: {
      slug: 'big-payloads',
      name: 'big payloads',
      nodes: [
        {
          id: 'write',
          type: 'agent',
          agent: 'writer',
          prompt: 'Write a long report on {{input.topic}}',
        },
        {
          id: 'read',
          type: 'agent',
          agent: 'reader',
          prompt: 'Summarise:\n{{steps.write.output}}',
        },
      ],
      edges: [{ from: 'write', to: 'read' }],
    },
  });
  expect(wf.status).toBe(201);
  const started = await stack.call('POST', '/v1/workflows/big-payloads/runs', {
    token,
    body: { input: { topic: 'row limits' } },
  });
  expect(started.status).toBe(202);
  run = await stack.waitForRun(token, started.body.runId, 60_000);
  tenantId = (await stack.call('GET', '/v1/me', { token })).body.tenant.id;
}, 120_000);
afterAll(async () => stack?.close());

const stepOf = (nodeId: string) => run.steps.find((s: any) => s.nodeId === nodeId);

async function stepRows(runId: string) {
  // jsonb read as text: the Data API returns raw jsonb as a string, PGlite and pg as an object.
  const rows = await stack.platform.db.withTenant({ tenantId }, async (tx) =>
    rowsOf<{ node_id: string; bytes: number; payloads: string | null }>(
      await tx.execute(
        sql`select node_id, pg_column_size(r.*)::int as bytes, payloads::text as payloads from run_steps r where run_id = ${runId}::uuid order by node_id`,
      ),
    ),
  );
  return rows.map((r) => ({
    ...r,
    payloads: r.payloads ? (JSON.parse(r.payloads) as unknown) : null,
  }));
}

test('a >100 KB answer is read by the next step, the run succeeds and every row stays under 64 KB', async () => {
  // Assess: the run and both steps succeeded
  expect(run.status).toBe('SUCCEEDED');
  expect(stepOf('write').status).toBe('SUCCEEDED');
  expect(stepOf('read').status).toBe('SUCCEEDED');

  // The rows keep pointers, not the payloads
  const rows = await stepRows(run.id);
  expect(rows.map((r) => r.node_id)).toEqual(['read', 'write']);
  for (const r of rows) expect(Number(r.bytes)).toBeLessThan(DATA_API_ROW_LIMIT);
  const write = parsePayloads(rows.find((r) => r.node_id === 'write')?.payloads);
  const read = parsePayloads(rows.find((r) => r.node_id === 'read')?.payloads);
  expect(write.output?.bytes).toBeGreaterThan(100 * 1024);
  // The reader's prompt pasted the whole answer, so it went to S3 as well
  expect(read.prompt?.bytes).toBeGreaterThan(100 * 1024);
  expect(write.output?.key.startsWith(`${tenantId}/runs/${run.id}/steps/`)).toBe(true);
});

test('the run view shows previews with their full size; the step route returns the whole values', async () => {
  // Act
  const view = await stack.call('GET', `/v1/runs/${run.id}`, { token });
  const write = await stack.call('GET', `/v1/runs/${run.id}/steps/${stepOf('write').id}`, {
    token,
  });
  const read = await stack.call('GET', `/v1/runs/${run.id}/steps/read`, { token });

  // Assess: the list-like view is small, flagged, and a preview of the real answer
  expect(view.status).toBe(200);
  expect(JSON.stringify(view.body).length).toBeLessThan(DATA_API_RESPONSE_LIMIT / 8);
  const listed = view.body.steps.find((s: any) => s.nodeId === 'write');
  expect(listed.truncated.output).toBeGreaterThan(100 * 1024);
  expect(listed.output.length).toBeLessThan(2048);

  // The step route: the whole answer, the whole prompt of the next step, which contains it
  expect(write.status).toBe(200);
  expect(write.body.truncated).toBeUndefined();
  expect(typeof write.body.output).toBe('string');
  expect(write.body.output.length).toBeGreaterThan(100 * 1024);
  expect(write.body.output.startsWith(listed.output.replace(/…$/, ''))).toBe(true);
  expect(read.status).toBe(200);
  expect(read.body.prompt).toBe(`Summarise:\n${write.body.output}`);
  expect(read.body.output).toContain('Summarise:');
});

test('another tenant cannot reach the step, and a pointer is refused outside its tenant', async () => {
  // Prepare
  const other = await stack.signup('Other payload tenant');
  const otherTenant = (await stack.call('GET', '/v1/me', { token: other.accessToken })).body.tenant
    .id;
  const pointer = parsePayloads(
    (await stepRows(run.id)).find((r) => r.node_id === 'write')?.payloads,
  ).output;
  if (!pointer) throw new Error('the write step has no output pointer');

  // Act
  const res = await stack.call('GET', `/v1/runs/${run.id}/steps/${stepOf('write').id}`, {
    token: other.accessToken,
  });
  const crossRead = resolvePayload(stack.platform, otherTenant, pointer);

  // Assess
  expect(res.status).toBe(404);
  await expect(crossRead).rejects.toMatchObject({ name: 'StepPayloadUnavailable' });
});

test('an object changed behind the row is refused (sha256), never served', async () => {
  // Prepare: the stored answer is overwritten in the bucket
  const pointer = parsePayloads(
    (await stepRows(run.id)).find((r) => r.node_id === 'write')?.payloads,
  ).output;
  if (!pointer) throw new Error('the write step has no output pointer');
  const bucket = stack.platform.config.ARTIFACTS_BUCKET;
  const original = await (
    await stack.platform.s3.send(new GetObjectCommand({ Bucket: bucket, Key: pointer.key }))
  ).Body?.transformToString('utf-8');
  await stack.platform.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: pointer.key, Body: JSON.stringify('tampered') }),
  );

  // Act
  const res = await stack.call('GET', `/v1/runs/${run.id}/steps/${stepOf('write').id}`, { token });
  await stack.platform.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: pointer.key, Body: original }),
  );

  // Assess: a generic 500, not the altered value
  expect(res.status).toBe(500);
  expect(JSON.stringify(res.body)).not.toContain('tampered');
});

test("a large answer of an end step: the run's output keeps a reference, the step route the whole", async () => {
  // Prepare
  const wf = await stack.call('POST', '/v1/workflows', {
    token,
    body: {
      slug: 'big-end',
      name: 'big end',
      nodes: [{ id: 'write', type: 'agent', agent: 'writer', prompt: 'Write on {{input.topic}}' }],
      edges: [],
    },
  });
  expect(wf.status).toBe(201);

  // Act
  const started = await stack.call('POST', '/v1/workflows/big-end/runs', {
    token,
    body: { input: { topic: 'end steps' } },
  });
  const done = await stack.waitForRun(token, started.body.runId, 60_000);
  const step = await stack.call('GET', `/v1/runs/${done.id}/steps/write`, { token });

  // Assess
  expect(done.status).toBe('SUCCEEDED');
  // One end step: its output is the run's output
  expect(done.output).toEqual({
    truncated: true,
    stepId: step.body.id,
    bytes: Buffer.byteLength(JSON.stringify(step.body.output)),
    preview: expect.stringMatching(/…$/),
  });
  expect(step.body.output.length).toBeGreaterThan(100 * 1024);
});
