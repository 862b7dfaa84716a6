/**
 * `GET /v1/runs/{id}/stream`: Server-Sent Events through the local server, which runs the same
 * streaming handler module (awslambda.streamifyResponse) the Lambda function URL runs.
 */
import { readSse, type SseEvent } from '../../../web/src/api/sse';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
beforeAll(async () => {
  stack = await startTestStack({ env: { STREAM_POLL_MS: '20', SIMULATOR_LATENCY_MS: '60' } });
  token = await stack.adminToken();
});
afterAll(async () => stack?.close());

async function startRun(): Promise<string> {
  const started = await stack.call('POST', '/v1/workflows/feature-pipeline/runs', {
    token,
    body: { input: { feature: 'Stream the timeline' } },
  });
  expect(started.status).toBe(202);
  return started.body.runId as string;
}

/** Reads the stream until it ends, or until `stopAfter` events when given (then drops it). */
async function read(
  runId: string,
  options: { lastEventId?: string; stopAfter?: number } = {},
): Promise<{ events: SseEvent[]; ended: boolean; response: Response }> {
  const controller = new AbortController();
  const response = await fetch(`${stack.url}/v1/runs/${runId}/stream`, {
    headers: {
      authorization: `Bearer ${token}`,
      ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
    },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  let ended = false;
  if (!response.ok || !response.body) return { events, ended, response };
  await readSse(
    response.body,
    (e) => {
      // Events after the cut are dropped with the connection, even when they came in the same chunk.
      if (options.stopAfter !== undefined && events.length >= options.stopAfter) return;
      if (e.event === 'end') ended = true;
      else events.push(e);
      if (options.stopAfter !== undefined && events.length >= options.stopAfter) controller.abort();
    },
    controller.signal,
  ).catch((error) => {
    if (!controller.signal.aborted) throw error;
  });
  return { events, ended, response };
}

async function timeline(runId: string): Promise<number[]> {
  const res = await stack.call('GET', `/v1/runs/${runId}/events?after=0&limit=500`, { token });
  return res.body.items.map((e: { seq: number }) => e.seq);
}

test('a run stream delivers every event in order, then the end, as text/event-stream', async () => {
  // Prepare
  const runId = await startRun();

  // Act
  const { events, ended, response } = await read(runId);

  // Assess
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  expect(response.headers.get('x-request-id')).toBeTruthy();
  expect(ended).toBe(true);
  const seqs = events.map((e) => Number(e.id));
  expect(seqs).toEqual(await timeline(runId));
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(events[0].event).toBe('run.queued');
  expect(events[events.length - 1].event).toBe('run.succeeded');
  const last = JSON.parse(events[events.length - 1].data);
  expect(last).toMatchObject({ type: 'run.succeeded', seq: seqs[seqs.length - 1] });
  expect(events.filter((e) => e.event === 'step.succeeded')).toHaveLength(5);
});

test('a dropped stream resumes from Last-Event-ID with nothing lost and nothing repeated', async () => {
  // Prepare: read the first three events of a live run, then drop the connection.
  const runId = await startRun();
  const first = await read(runId, { stopAfter: 3 });
  expect(first.events).toHaveLength(3);
  expect(first.ended).toBe(false);

  // Act
  const rest = await read(runId, { lastEventId: first.events[2].id });

  // Assess
  expect(rest.ended).toBe(true);
  const seqs = [...first.events, ...rest.events].map((e) => Number(e.id));
  expect(seqs).toEqual(await timeline(runId));
  expect(new Set(seqs).size).toBe(seqs.length);
});

test('a finished run streams its whole timeline and ends at once', async () => {
  const runId = await startRun();
  await stack.waitForRun(token, runId);

  const { events, ended } = await read(runId);

  expect(ended).toBe(true);
  expect(events.map((e) => Number(e.id))).toEqual(await timeline(runId));
});

test('the stream refuses before the first byte: 401 without credentials, 404 for an unknown run, 400 for a bad Last-Event-ID', async () => {
  const runId = await startRun();
  const anonymous = await fetch(`${stack.url}/v1/runs/${runId}/stream`);
  const unknown = await fetch(`${stack.url}/v1/runs/00000000-0000-4000-8000-000000000000/stream`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const badCursor = await fetch(`${stack.url}/v1/runs/${runId}/stream`, {
    headers: { authorization: `Bearer ${token}`, 'last-event-id': 'yesterday' },
  });
  const badId = await fetch(`${stack.url}/v1/runs/not-a-uuid/stream`, {
    headers: { authorization: `Bearer ${token}`, 'x-request-id': 'client-req-42' },
  });

  expect(anonymous.status).toBe(401);
  expect((await anonymous.json()).error.code).toBe('Unauthorized');
  expect(unknown.status).toBe(404);
  expect((await unknown.json()).error.code).toBe('NotFound');
  expect(badCursor.status).toBe(400);
  expect((await badCursor.json()).error.details[0].path).toBe('header.last-event-id');
  const badEscape = await fetch(`${stack.url}/v1/runs/%zz/stream`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(badEscape.status).toBe(400);
  expect(badId.status).toBe(400);
  expect(badId.headers.get('x-request-id')).toBe('client-req-42');
  expect((await badId.json()).error.details[0].path).toBe('path.id');
});

test("another tenant's run is not found on the stream", async () => {
  const runId = await startRun();
  const other = await stack.signup('Stream Outsider');

  const res = await fetch(`${stack.url}/v1/runs/${runId}/stream`, {
    headers: { authorization: `Bearer ${other.accessToken}` },
  });

  expect(res.status).toBe(404);
});
