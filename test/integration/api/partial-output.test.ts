/**
 * A step's partial output on the run's stream while the model generates (ADR 142), through the
 * local runtime: the simulator streams a slow answer in pieces, the step flushes them as
 * `step.output_delta` events, the SSE stream delivers them before `step.succeeded`, and they
 * concatenate to the final output. A failed attempt's partial output is discarded visibly.
 */
import { readSse, type SseEvent } from '../../../web/src/api/sse';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
beforeAll(async () => {
  stack = await startTestStack({ env: { STREAM_POLL_MS: '20', SIMULATOR_LATENCY_MS: '800' } });
  token = await stack.adminToken();
});
afterAll(async () => stack?.close());

async function workflowWith(slug: string, model: string): Promise<void> {
  const agent = await stack.call('POST', '/v1/agents', {
    token,
    body: { slug, name: slug, model, systemPrompt: 'You write slowly.' },
  });
  expect(agent.status).toBe(201);
  const wf = await stack.call('POST', '/v1/workflows', {
    token,
    body: {
      slug,
      name: slug,
      nodes: [{ id: 'write', type: 'agent', agent: slug, prompt: 'Write about {{input.topic}}' }],
      edges: [],
    },
  });
  expect(wf.status).toBe(201);
}

async function startRun(slug: string): Promise<string> {
  const started = await stack.call('POST', `/v1/workflows/${slug}/runs`, {
    token,
    body: { input: { topic: 'rivers' } },
  });
  expect(started.status).toBe(202);
  return started.body.runId as string;
}

interface Delta {
  attempt: number;
  offset: number;
  text: string;
}

/**
 * Reads the run's stream to its end; on the first `step.output_delta`, reads the run once (the
 * step's status at that moment).
 */
async function watch(runId: string) {
  const events: SseEvent[] = [];
  let statusAtFirstDelta: string | undefined;
  const response = await fetch(`${stack.url}/v1/runs/${runId}/stream`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  let firstDelta: Promise<void> | undefined;
  await readSse(response.body!, (e) => {
    if (e.event === 'end') return;
    events.push(e);
    if (e.event === 'step.output_delta' && !firstDelta)
      firstDelta = stack.call('GET', `/v1/runs/${runId}`, { token }).then((res) => {
        statusAtFirstDelta = res.body.steps[0].status;
      });
  });
  await firstDelta;
  const data = (e: SseEvent) => JSON.parse(e.data).data;
  const deltas = (attempt: number): Delta[] =>
    events.filter((e) => e.event === 'step.output_delta' && data(e).attempt === attempt).map(data);
  return { events, types: events.map((e) => e.event), deltas, data, statusAtFirstDelta };
}

test("a slow step's partial output streams before it finishes and concatenates to the final output", async () => {
  // Prepare
  await workflowWith('slow-writer', 'simulator:slow-4000');
  const runId = await startRun('slow-writer');

  // Act
  const seen = await watch(runId);

  // Assess: the deltas come while the step is still running, all before step.succeeded.
  expect(seen.statusAtFirstDelta).toBe('RUNNING');
  const succeededAt = seen.types.indexOf('step.succeeded');
  expect(succeededAt).toBeGreaterThan(seen.types.indexOf('step.output_delta'));
  expect(seen.types.lastIndexOf('step.output_delta')).toBeLessThan(succeededAt);
  const deltas = seen.deltas(1);
  expect(deltas.length).toBeGreaterThanOrEqual(2);
  // Offsets are contiguous: nothing lost, nothing repeated.
  let offset = 0;
  for (const d of deltas) {
    expect(d.offset).toBe(offset);
    offset += d.text.length;
  }
  const run = await stack.call('GET', `/v1/runs/${runId}`, { token });
  expect(run.body.status).toBe('SUCCEEDED');
  expect(deltas.map((d) => d.text).join('')).toBe(run.body.steps[0].output);
});

test("a failed attempt's partial output is discarded on the timeline; the retry streams afresh", async () => {
  // Prepare: the first attempt streams half its answer, then the connection is lost.
  await workflowWith('cut-writer', 'simulator:midstream-1');
  const runId = await startRun('cut-writer');

  // Act
  const seen = await watch(runId);

  // Assess
  const discarded = seen.events.find((e) => e.event === 'step.output_discarded');
  expect(discarded).toBeDefined();
  const first = seen.deltas(1);
  expect(first.length).toBeGreaterThan(0);
  expect(seen.data(discarded!)).toMatchObject({
    attempt: 1,
    reason: 'ProviderUnavailable',
    chars: first.map((d) => d.text).join('').length,
  });
  // The discard comes after attempt 1's deltas and before attempt 2 starts streaming.
  const at = seen.events.indexOf(discarded!);
  expect(seen.types.indexOf('step.attempt_failed')).toBeGreaterThan(at);
  const second = seen.deltas(2);
  expect(second.length).toBeGreaterThan(0);
  const firstOfSecond = seen.events.findIndex(
    (e) => e.event === 'step.output_delta' && seen.data(e).attempt === 2,
  );
  expect(firstOfSecond).toBeGreaterThan(at);
  const run = await stack.call('GET', `/v1/runs/${runId}`, { token });
  expect(run.body.status).toBe('SUCCEEDED');
  const output = run.body.steps[0].output as string;
  expect(second.map((d) => d.text).join('')).toBe(output);
  // What attempt 1 showed was the start of the same deterministic answer, cut short.
  expect(output.startsWith(first.map((d) => d.text).join(''))).toBe(true);
});
