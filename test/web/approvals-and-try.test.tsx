/** @jest-environment jsdom */
/**
 * The approval inbox (decided in place, a reason required to reject, the nav count) and the agent
 * page's Try panel (starts a one-step run, follows it, shows the answer with its trace; ADR 164).
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Agent, Run, RunEvent, WaitingApproval } from '../../web/src/api/types';
import { TryPanel } from '../../web/src/components/agents/TryPanel';
import { Layout } from '../../web/src/components/Layout';
import { ApprovalsPage } from '../../web/src/pages/ApprovalsPage';
import { apiWith as scripted, error, renderWithApi, tokens, type Responder } from './support';

/** The client refreshes its session first; every script answers that, then the test's calls. */
const apiWith = (respond: Responder) =>
  scripted((call) =>
    call.path === '/v1/auth/refresh' ? { status: 200, body: tokens(1) } : respond(call),
  );

const RUN_A = '11111111-1111-4111-8111-111111111111';
const RUN_B = '22222222-2222-4222-8222-222222222222';
const WF = '33333333-3333-4333-8333-333333333333';
const STEP = '44444444-4444-4444-8444-444444444444';

const waiting = (runId: string, stepId: string, extra: Partial<WaitingApproval> = {}) =>
  ({
    runId,
    stepId,
    nodeId: 'signoff',
    iteration: 1,
    workflowId: WF,
    workflowSlug: 'release-notes',
    workflowVersion: 2,
    message: 'Publish the notes for v2.3?',
    gates: [{ nodeId: 'draft', output: 'v2.3 adds dark mode', chars: 19, truncated: false }],
    waitingSince: '2026-11-29T10:00:00.000Z',
    runStartedAt: '2026-11-29T09:59:00.000Z',
    ...extra,
  }) satisfies WaitingApproval;

test('the inbox shows what is to be approved, and approves or rejects (with a reason) in place', async () => {
  const items = [
    waiting(RUN_A, '55555555-5555-4555-8555-555555555551'),
    waiting(RUN_B, '55555555-5555-4555-8555-555555555552', {
      gates: [{ nodeId: 'draft', output: 'x'.repeat(2000), chars: 9000, truncated: true }],
    }),
  ];
  const { api, calls } = apiWith((call) => {
    if (call.path === '/v1/approvals') return { status: 200, body: { items } };
    if (call.method === 'POST') return { status: 202, body: { runId: RUN_A, status: 'RUNNING' } };
    return { status: 404 };
  });
  renderWithApi(<ApprovalsPage />, api, 'dev');
  const cards = await screen.findAllByTestId('approval-item');
  expect(cards).toHaveLength(2);
  expect(calls.find((c) => c.path === '/v1/approvals')?.query.get('status')).toBe('waiting');
  expect(within(cards[0]).getByTestId('approval-message').textContent).toBe(
    'Publish the notes for v2.3?',
  );
  expect(within(cards[0]).getByTestId('approval-gate').textContent).toContain(
    'v2.3 adds dark mode',
  );
  expect(within(cards[1]).getByText(/Shown in part \(9,000 characters\)/)).toBeTruthy();

  // Reject without a reason: refused on the page, nothing sent.
  fireEvent.click(within(cards[1]).getByTestId('approval-reject'));
  expect(await within(cards[1]).findByRole('alert')).toBeTruthy();
  expect(calls.filter((c) => c.path.startsWith('/v1/runs/'))).toHaveLength(0);
  fireEvent.change(within(cards[1]).getByTestId('approval-reason'), {
    target: { value: 'Wrong version number' },
  });
  fireEvent.click(within(cards[1]).getByTestId('approval-reject'));
  await waitFor(() => expect(screen.getAllByTestId('approval-item')).toHaveLength(1));
  const reject = calls.find((c) => c.path.endsWith('/reject'));
  expect(reject?.path).toBe(`/v1/runs/${RUN_B}/steps/${items[1].stepId}/reject`);
  expect(reject?.body).toEqual({ comment: 'Wrong version number' });
  expect(screen.getByTestId('approval-done').textContent).toContain('rejected');

  fireEvent.click(screen.getByTestId('approval-approve'));
  await screen.findByTestId('empty-state');
  const approve = calls.filter((c) => c.path.startsWith('/v1/runs/'))[1];
  expect(approve.path).toBe(`/v1/runs/${RUN_A}/steps/${items[0].stepId}/approve`);
  expect(approve.body).toEqual({});
});

test('a decision made elsewhere meanwhile shows the error and the inbox as it is now', async () => {
  let decided = false;
  const { api } = apiWith((call) => {
    if (call.path === '/v1/approvals')
      return { status: 200, body: { items: decided ? [] : [waiting(RUN_A, STEP)] } };
    decided = true;
    return error(409, 'Conflict', 'step signoff is SUCCEEDED, not WAITING');
  });
  renderWithApi(<ApprovalsPage />, api, 'dev');
  fireEvent.click(await screen.findByTestId('approval-approve'));
  expect((await screen.findByRole('alert')).textContent).toContain('not WAITING');
  await screen.findByTestId('empty-state');
});

test('a viewer sees the inbox but cannot decide', async () => {
  const { api } = apiWith(() => ({ status: 200, body: { items: [waiting(RUN_A, STEP)] } }));
  renderWithApi(<ApprovalsPage />, api, 'viewer');
  await screen.findByTestId('approval-item');
  expect(screen.queryByTestId('approval-approve')).toBeNull();
});

test('the nav shows how many approvals wait', async () => {
  const { api } = apiWith((call) =>
    call.path === '/v1/approvals'
      ? {
          status: 200,
          body: { items: [waiting(RUN_A, STEP), waiting(RUN_B, RUN_B)], nextCursor: 'c' },
        }
      : { status: 404 },
  );
  renderWithApi(<Layout>page</Layout>, api, 'dev');
  const badge = await screen.findByTestId('approvals-count');
  expect(badge.textContent).toBe('2+ waiting');
  expect(badge.closest('a')?.getAttribute('href')).toBe('#/approvals');
});

const agent: Agent = {
  id: '88888888-8888-4888-8888-888888888888',
  slug: 'researcher',
  name: 'Researcher',
  role: '',
  systemPrompt: 'Search first.',
  model: 'openai:gpt-4.1-mini',
  fallbacks: [],
  parameters: {},
  tools: ['knowledge.search'],
  version: 3,
  publishedVersion: 2,
  createdAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-01T10:00:00Z',
};

function tryRun(status: Run['status']): Run {
  const done = status === 'SUCCEEDED';
  return {
    id: RUN_A,
    workflowId: WF,
    workflowSlug: 'try-researcher',
    workflowVersion: 1,
    status,
    input: { prompt: 'How often does on-call rotate?' },
    startedAt: '2026-11-29T10:00:00.000Z',
    costUsd: done ? 0.0042 : 0,
    steps: [
      {
        id: STEP,
        nodeId: 'agent',
        type: 'agent',
        status: done ? 'SUCCEEDED' : 'RUNNING',
        prompt: 'How often does on-call rotate?',
        ...(done ? { output: 'Weekly, on Mondays [1].' } : {}),
        inputTokens: done ? 320 : 0,
        outputTokens: done ? 45 : 0,
        costUsd: done ? 0.0042 : 0,
        attempts: done
          ? [1, 2].map((n) => ({
              n,
              provider: 'openai',
              model: 'gpt-4.1-mini',
              outcome: 'success',
              latencyMs: 300,
              inputTokens: 160,
              outputTokens: 20 + n,
              costUsd: 0.0021,
            }))
          : [],
      },
    ],
  };
}

test('the Try panel starts a one-step run of the chosen version and shows the answer with its trace', async () => {
  let polls = 0;
  const events: RunEvent[] = [
    {
      seq: 3,
      type: 'step.tool_call',
      stepId: STEP,
      nodeId: 'agent',
      message: 'knowledge.search',
      data: {
        turn: 1,
        callId: 'call_1',
        tool: 'knowledge.search',
        arguments: { query: 'on-call rotation' },
        result: '[1] On-call rotates weekly on Mondays',
        durationMs: 12,
      },
      at: '2026-11-29T10:00:01.000Z',
    },
  ];
  const { api, calls } = apiWith((call) => {
    if (call.path === `/v1/agents/${agent.id}/try`)
      return { status: 202, body: { runId: RUN_A, status: 'QUEUED' } };
    if (call.path === `/v1/runs/${RUN_A}`)
      return { status: 200, body: tryRun(++polls > 1 ? 'SUCCEEDED' : 'RUNNING') };
    if (call.path === `/v1/runs/${RUN_A}/events`)
      return { status: 200, body: { items: polls > 1 ? events : [], nextAfter: 3 } };
    return { status: 404 };
  });
  renderWithApi(<TryPanel agent={agent} versions={[3, 2, 1]} canTry />, api, 'dev');
  const run = screen.getByTestId('try-run') as HTMLButtonElement;
  expect(run.disabled).toBe(true); // no prompt yet
  fireEvent.change(screen.getByTestId('try-prompt'), {
    target: { value: 'How often does on-call rotate?' },
  });
  fireEvent.change(screen.getByLabelText('Version'), { target: { value: '3' } });
  fireEvent.click(run);
  const result = await screen.findByTestId('try-result');
  await waitFor(() => expect(result.getAttribute('data-status')).toBe('SUCCEEDED'));
  expect(calls.find((c) => c.path.endsWith('/try'))?.body).toEqual({
    prompt: 'How often does on-call rotate?',
    version: 3,
  });
  expect(screen.getByTestId('try-answer').textContent).toContain('Weekly, on Mondays [1].');
  expect(screen.getByTestId('tool-call-name').textContent).toBe('knowledge.search');
  expect(screen.getAllByTestId('attempt-row')).toHaveLength(2);
  const totals = screen.getByTestId('try-totals').textContent ?? '';
  expect(totals).toContain('320');
  expect(totals).toContain('$0.0042');
  expect(screen.getByTestId('try-run-link').getAttribute('href')).toBe(`#/runs/${RUN_A}`);
});

test('the Try panel names the field of a refused prompt, and a viewer cannot try', async () => {
  const { api } = apiWith(() =>
    error(400, 'ValidationError', 'prompt: too long', [{ path: 'prompt', message: 'too long' }]),
  );
  renderWithApi(<TryPanel agent={agent} versions={[]} canTry />, api, 'dev');
  fireEvent.change(screen.getByTestId('try-prompt'), { target: { value: 'x' } });
  fireEvent.click(screen.getByTestId('try-run'));
  expect((await screen.findByRole('alert')).textContent).toContain('prompt: too long');
  expect(screen.getByTestId('try-prompt').getAttribute('aria-invalid')).toBe('true');

  const viewer = apiWith(() => ({ status: 404 }));
  const { container } = renderWithApi(
    <TryPanel agent={agent} versions={[]} canTry={false} />,
    viewer.api,
    'viewer',
  );
  expect((container.querySelector('[data-testid="try-run"]') as HTMLButtonElement).disabled).toBe(
    true,
  );
});
