/** @jest-environment jsdom */
/**
 * The run page's step panel shows a step's partial output growing as `step.output_delta` events
 * arrive on the run's stream (ADR 142), a fake SSE stream fed frame by frame; the final output
 * replaces it, a discarded attempt is said, and the deltas cost no extra read of the run.
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ReadableStream } from 'node:stream/web';
import { TextDecoder, TextEncoder } from 'node:util';
import type { Run, RunEvent, RunStep, Workflow } from '../../web/src/api/types';
import { ApiClient } from '../../web/src/api/client';
import { createApi } from '../../web/src/api/endpoints';
import { RunPage } from '../../web/src/pages/RunPage';
import { memoryStorage, polyfillFlow, renderWithApi, scriptedFetch } from './support';

polyfillFlow();
Object.assign(globalThis, { TextDecoder });

const RUN_ID = '11111111-1111-4111-8111-111111111111';
const WF_ID = '22222222-2222-4222-8222-222222222222';
const STEP_ID = '33333333-3333-4333-8333-333333333333';

const workflow: Workflow = {
  id: WF_ID,
  slug: 'review',
  name: 'Review',
  description: '',
  version: 1,
  publishedVersion: 1,
  inputs: [],
  nodes: [{ id: 'pm', type: 'agent', agent: 'pm', prompt: 'Plan it' }],
  edges: [],
  createdAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-01T10:00:00Z',
};

const pm = (extra: Partial<RunStep>): RunStep => ({
  id: STEP_ID,
  nodeId: 'pm',
  type: 'agent',
  status: 'RUNNING',
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
  attempts: [],
  startedAt: '2026-11-01T10:00:00Z',
  ...extra,
});

const runWith = (status: Run['status'], step: RunStep): Run => ({
  id: RUN_ID,
  workflowId: WF_ID,
  workflowSlug: 'review',
  workflowVersion: 1,
  status,
  input: {},
  startedAt: '2026-11-01T10:00:00Z',
  costUsd: 0,
  steps: [step],
});

let seq = 0;
const event = (type: string, data?: Record<string, unknown>): RunEvent => ({
  seq: ++seq,
  type,
  stepId: STEP_ID,
  nodeId: 'pm',
  message: type,
  at: '2026-11-01T10:00:01Z',
  ...(data ? { data } : {}),
});

test('the step panel shows the partial output growing, then the final output', async () => {
  // Prepare: a run whose pm step is writing; the stream is fed by the test.
  let current = runWith('RUNNING', pm({}));
  const encoder = new TextEncoder();
  let push: (e: RunEvent | 'end') => void = () => undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      push = (e) => {
        if (e === 'end') {
          controller.enqueue(encoder.encode('event: end\ndata: {"status":"SUCCEEDED"}\n\n'));
          controller.close();
        } else
          controller.enqueue(
            encoder.encode(`id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`),
          );
      };
    },
  });
  const scripted = scriptedFetch((call) => {
    if (call.path === `/v1/runs/${RUN_ID}`) return { status: 200, body: current };
    if (call.path === `/v1/workflows/${WF_ID}`) return { status: 200, body: workflow };
    return { status: 404, body: { error: { code: 'NotFound', message: 'no route' } } };
  });
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) =>
    String(input).endsWith(`/v1/runs/${RUN_ID}/stream`)
      ? ({ ok: true, status: 200, body } as unknown as Response)
      : scripted.fetch(input, init)) as typeof globalThis.fetch;
  const client = new ApiClient({
    baseUrl: '',
    storage: memoryStorage({ 'hishamos.refreshToken': 'refresh-token-0000000000000' }),
    fetch,
  });
  scripted.calls.length = 0;
  renderWithApi(<RunPage runId={RUN_ID} pollMs={20} />, createApi(client));
  fireEvent.click(await screen.findByTestId('step-item-pm'));
  const panel = await screen.findByTestId('step-panel');
  const runReads = () => scripted.calls.filter((c) => c.path === `/v1/runs/${RUN_ID}`).length;

  // Act 1: the first attempt writes, then fails; its partial output is discarded.
  await act(async () => {
    push(event('step.started'));
    push(event('step.output_delta', { attempt: 1, offset: 0, text: 'Half a pl' }));
  });
  expect((await within(panel).findByTestId('step-partial-output')).textContent).toBe('Half a pl');
  await act(async () => {
    push(event('step.output_discarded', { attempt: 1, chars: 9, reason: 'ProviderUnavailable' }));
  });
  await waitFor(() => expect(within(panel).queryByTestId('step-partial-output')).toBeNull());
  expect(within(panel).getByTestId('step-partial-discarded').textContent).toContain(
    'Attempt 1 failed (ProviderUnavailable)',
  );

  // Act 2: the retry streams; the text grows piece by piece.
  const readsBefore = runReads();
  await act(async () => {
    push(event('step.output_delta', { attempt: 2, offset: 0, text: '## Plan\n' }));
  });
  await waitFor(() =>
    expect(within(panel).getByTestId('step-partial-output').textContent).toBe('## Plan\n'),
  );
  await act(async () => {
    push(event('step.output_delta', { attempt: 2, offset: 8, text: '1. Build the form' }));
  });

  // Assess: the whole text so far, no timeline line per delta, no read of the run per delta.
  await waitFor(() =>
    expect(within(panel).getByTestId('step-partial-output').textContent).toBe(
      '## Plan\n1. Build the form',
    ),
  );
  const timeline = screen.getByTestId('events-timeline');
  expect(timeline.querySelector('[data-type="step.output_delta"]')).toBeNull();
  expect(timeline.querySelector('[data-type="step.output_discarded"]')).not.toBeNull();
  expect(runReads()).toBe(readsBefore);

  // Act 3: the step succeeds; the final output replaces the partial one.
  current = runWith(
    'SUCCEEDED',
    pm({
      status: 'SUCCEEDED',
      output: '## Plan\n1. Build the form',
      finishedAt: '2026-11-01T10:00:05Z',
    }),
  );
  await act(async () => {
    push(event('step.succeeded', { attempt: 2 }));
    push({ ...event('run.succeeded'), stepId: undefined, nodeId: undefined });
    push('end');
  });
  await waitFor(() => expect(within(panel).queryByTestId('step-partial-output')).toBeNull());
  expect(within(panel).getByTestId('step-output').textContent).toContain('Build the form');
});
