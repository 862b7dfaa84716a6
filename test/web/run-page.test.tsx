/** @jest-environment jsdom */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Run, RunStep, Workflow } from '../../web/src/api/types';
import { isTerminal, statusTone } from '../../web/src/dag/status';
import { RunPage } from '../../web/src/pages/RunPage';
import { apiWith, polyfillFlow, renderWithApi, tokens, type Call } from './support';

polyfillFlow();

const RUN_ID = '11111111-1111-4111-8111-111111111111';
const WF_ID = '22222222-2222-4222-8222-222222222222';

const workflow: Workflow = {
  id: WF_ID,
  slug: 'review',
  name: 'Review',
  description: '',
  version: 3,
  publishedVersion: 3,
  inputs: [],
  nodes: [
    { id: 'pm', type: 'agent', agent: 'pm', prompt: 'Plan {{input.title}}' },
    { id: 'coder', type: 'agent', agent: 'coder', prompt: '{{steps.pm.output}}' },
  ],
  edges: [{ from: 'pm', to: 'coder' }],
  createdAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-01T10:00:00Z',
};

const step = (
  nodeId: string,
  status: RunStep['status'],
  extra: Partial<RunStep> = {},
): RunStep => ({
  id: `3333333${nodeId.length}-3333-4333-8333-33333333333${nodeId.length}`,
  nodeId,
  type: 'agent',
  status,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
  attempts: [],
  ...extra,
});

const run = (status: Run['status'], steps: RunStep[]): Run => ({
  id: RUN_ID,
  workflowId: WF_ID,
  workflowSlug: 'review',
  workflowVersion: 3,
  status,
  input: { title: 'Add login' },
  startedAt: '2026-11-01T10:00:00Z',
  costUsd: steps.reduce((s, x) => s + x.costUsd, 0),
  steps,
});

const finishedPm = step('pm', 'SUCCEEDED', {
  provider: 'openai',
  model: 'gpt-4.1-mini',
  prompt: 'Plan Add login',
  output: '## Plan\n\n1. Build the form\n\n<script>window.hacked = true</script><b>raw</b>',
  inputTokens: 1200,
  outputTokens: 340,
  costUsd: 0.0123,
  startedAt: '2026-11-01T10:00:00Z',
  finishedAt: '2026-11-01T10:00:04Z',
  attempts: [
    {
      n: 1,
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      outcome: 'throttled',
      errorName: 'ProviderThrottled',
      latencyMs: 210,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
    },
    {
      n: 2,
      provider: 'openai',
      model: 'gpt-4.1-mini',
      outcome: 'success',
      latencyMs: 1830,
      inputTokens: 1200,
      outputTokens: 340,
      costUsd: 0.0123,
    },
  ],
});

/** A server whose run moves through `script` one GET at a time, then stays on the last state. */
function server(script: Run[]) {
  let gets = 0;
  const { api, calls } = apiWith((call: Call) => {
    if (call.path === '/v1/auth/refresh') return { status: 200, body: tokens(1) };
    if (call.path === `/v1/runs/${RUN_ID}`)
      return { status: 200, body: script[Math.min(gets++, script.length - 1)] };
    if (call.path === `/v1/runs/${RUN_ID}/events`) {
      const after = Number(call.query.get('after'));
      return {
        status: 200,
        body: {
          items: [
            {
              seq: after + 1,
              type: 'step.started',
              nodeId: 'pm',
              message: `event ${after + 1}`,
              at: '2026-11-01T10:00:01Z',
            },
          ],
          nextAfter: after + 1,
        },
      };
    }
    if (call.path === `/v1/workflows/${WF_ID}`) return { status: 200, body: workflow };
    if (call.path === `/v1/workflows/${WF_ID}/versions`)
      return {
        status: 200,
        body: { items: [{ version: 3, spec: workflow, createdAt: workflow.createdAt }] },
      };
    return { status: 404, body: { error: { code: 'NotFound', message: 'no route' } } };
  });
  const runGets = () => calls.filter((c) => c.path === `/v1/runs/${RUN_ID}`).length;
  const eventCalls = () => calls.filter((c) => c.path === `/v1/runs/${RUN_ID}/events`);
  return { api, calls, runGets, eventCalls };
}

const sleep = (ms: number) => act(() => new Promise((r) => setTimeout(r, ms)));

describe('run status helpers', () => {
  it('treats QUEUED, RUNNING and WAITING as live and the rest as terminal', () => {
    expect(['QUEUED', 'RUNNING', 'WAITING'].map((s) => isTerminal(s as Run['status']))).toEqual([
      false,
      false,
      false,
    ]);
    expect(['SUCCEEDED', 'FAILED', 'CANCELLED'].map((s) => isTerminal(s as Run['status']))).toEqual(
      [true, true, true],
    );
  });

  it('gives each status its color family', () => {
    expect(
      ['PENDING', 'RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED'].map(
        statusTone,
      ),
    ).toEqual(['neutral', 'info', 'warn', 'success', 'danger', 'muted', 'muted']);
  });
});

describe('RunPage', () => {
  it('polls the run and its events while it runs and stops once it is terminal', async () => {
    // Prepare: RUNNING twice, then SUCCEEDED.
    const s = server([
      run('RUNNING', [step('pm', 'RUNNING')]),
      run('RUNNING', [finishedPm, step('coder', 'RUNNING')]),
      run('SUCCEEDED', [finishedPm, step('coder', 'SUCCEEDED')]),
    ]);

    // Act
    renderWithApi(<RunPage runId={RUN_ID} pollMs={20} />, s.api);

    // Assess: it reaches SUCCEEDED on its own...
    await waitFor(() =>
      expect(screen.getByTestId('step-node-coder').getAttribute('data-status')).toBe('SUCCEEDED'),
    );
    const getsAtEnd = s.runGets();
    expect(getsAtEnd).toBe(3);
    // ...events were read incrementally with ?after=...
    expect(s.eventCalls().map((c) => c.query.get('after'))).toEqual(['0', '1', '2']);
    // ...and nothing more is fetched after the terminal status.
    await sleep(120);
    expect(s.runGets()).toBe(getsAtEnd);
    expect(s.eventCalls()).toHaveLength(3);
  });

  it('colors each node by its step status and draws edges from the workflow version', async () => {
    const s = server([
      run('FAILED', [
        finishedPm,
        step('coder', 'FAILED', {
          error: { name: 'ProviderUnavailable', message: 'all providers down' },
        }),
      ]),
    ]);

    renderWithApi(<RunPage runId={RUN_ID} pollMs={20} />, s.api);

    const pm = await screen.findByTestId('step-node-pm');
    const coder = screen.getByTestId('step-node-coder');
    expect(pm.className).toContain('tone-success');
    expect(coder.className).toContain('tone-danger');
    expect(coder.getAttribute('data-status')).toBe('FAILED');
    await waitFor(() => expect(s.calls.some((c) => c.path.endsWith('/versions'))).toBe(true));
  });

  it('links a scheduled run to the runs of its schedule', async () => {
    const scheduleId = '44444444-4444-4444-8444-444444444444';
    const s = server([
      {
        ...run('SUCCEEDED', [finishedPm, step('coder', 'SUCCEEDED')]),
        scheduleId,
        scheduledFor: '2026-11-01T10:00:00Z',
      },
    ]);

    renderWithApi(<RunPage runId={RUN_ID} pollMs={20} />, s.api);

    const link = await screen.findByTestId('run-schedule');
    expect(link.getAttribute('href')).toBe(`#/runs?schedule=${scheduleId}`);
    expect(link.textContent).toContain('scheduled for');
  });

  it('shows a step panel with prompt, safe markdown output, attempts, model, tokens and cost', async () => {
    const s = server([run('SUCCEEDED', [finishedPm, step('coder', 'SUCCEEDED')])]);
    renderWithApi(<RunPage runId={RUN_ID} pollMs={20} />, s.api);

    fireEvent.click(await screen.findByTestId('step-item-pm'));

    const panel = await screen.findByTestId('step-panel');
    expect(within(panel).getByTestId('step-model').textContent).toBe('openai:gpt-4.1-mini');
    expect(within(panel).getByTestId('step-cost').textContent).toBe('$0.0123');
    expect(within(panel).getByTestId('step-tokens').textContent).toBe('1,200 / 340');
    expect(within(panel).getByTestId('step-prompt').textContent).toBe('Plan Add login');
    // Markdown renders; raw HTML does not.
    const output = within(panel).getByTestId('step-output');
    expect(within(output).getByRole('heading', { name: 'Plan' })).toBeTruthy();
    expect(output.querySelector('script, b')).toBeNull();
    // Attempts: the throttled first try and the fallback that answered.
    const rows = within(panel).getAllByTestId('attempt-row');
    expect(
      rows.map((r) => [...r.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent)),
    ).toEqual([
      ['1', 'anthropic claude-sonnet-4-5', 'throttled', 'ProviderThrottled'],
      ['2', 'openai gpt-4.1-mini', 'success', '—'],
    ]);
  });

  it('lists an agent step’s tool calls with arguments, result, duration and errors', async () => {
    // Prepare: two tool-call events of the pm step, one failed
    const toolEvents = [
      {
        seq: 1,
        type: 'step.tool_call',
        nodeId: 'pm',
        stepId: finishedPm.id,
        message: 'pm called knowledge.search in 42 ms',
        at: '2026-11-01T10:00:02Z',
        data: {
          turn: 1,
          callId: 'call_1',
          tool: 'knowledge.search',
          arguments: { query: 'quokka port' },
          result: '[1] Quokka runbook\nThe quokka daemon listens on port 4242.',
          resultChars: 15000,
          truncated: true,
          durationMs: 42,
        },
      },
      {
        seq: 2,
        type: 'step.tool_call',
        nodeId: 'pm',
        stepId: finishedPm.id,
        message: 'pm called http.get (failed) in 3 ms',
        at: '2026-11-01T10:00:03Z',
        data: {
          turn: 2,
          callId: 'call_2',
          tool: 'http.get',
          arguments: { url: 'http://169.254.169.254/' },
          result: 'ForbiddenDestination: 169.254.169.254 is a link-local (metadata) address',
          resultChars: 70,
          truncated: false,
          durationMs: 3,
          error: 'ForbiddenDestination: 169.254.169.254 is a link-local (metadata) address',
        },
      },
    ];
    const { api } = apiWith((call: Call) => {
      if (call.path === `/v1/runs/${RUN_ID}`)
        return { status: 200, body: run('SUCCEEDED', [finishedPm, step('coder', 'SUCCEEDED')]) };
      if (call.path === `/v1/runs/${RUN_ID}/events`)
        return {
          status: 200,
          body: { items: Number(call.query.get('after')) ? [] : toolEvents, nextAfter: 2 },
        };
      if (call.path === `/v1/workflows/${WF_ID}`) return { status: 200, body: workflow };
      return { status: 404, body: { error: { code: 'NotFound', message: 'no route' } } };
    });

    // Act
    renderWithApi(<RunPage runId={RUN_ID} pollMs={20} />, api);
    fireEvent.click(await screen.findByTestId('step-item-pm'));

    // Assess
    const panel = await screen.findByTestId('step-panel');
    const calls = await within(panel).findAllByTestId('tool-call');
    expect(calls.map((c) => within(c).getByTestId('tool-call-name').textContent)).toEqual([
      'knowledge.search',
      'http.get',
    ]);
    expect(calls[0].textContent).toContain('turn 1 · 42 ms');
    expect(
      JSON.parse(within(calls[0]).getByTestId('tool-call-arguments').textContent ?? ''),
    ).toEqual({
      query: 'quokka port',
    });
    expect(within(calls[0]).getByTestId('tool-call-result').textContent).toContain('port 4242');
    expect(within(calls[0]).getByTestId('tool-call-truncated').textContent).toContain('15,000');
    expect(within(calls[0]).queryByTestId('tool-call-failed')).toBeNull();
    expect(within(calls[1]).getByTestId('tool-call-failed')).toBeTruthy();
    expect(within(calls[1]).getByTestId('tool-call-result').textContent).toContain(
      'ForbiddenDestination',
    );
  });

  it('explains ProviderNotConfigured in the step panel: what it means and what to do', async () => {
    const failed = step('pm', 'FAILED', {
      error: {
        name: 'ProviderNotConfigured',
        message: 'no API key for openai: an admin sets one with PUT /v1/providers/openai/key',
      },
    });
    const s = server([run('FAILED', [failed, step('coder', 'SKIPPED')])]);
    renderWithApi(<RunPage runId={RUN_ID} pollMs={20} />, s.api);

    fireEvent.click(await screen.findByTestId('step-item-pm'));

    const panel = await screen.findByTestId('step-panel');
    expect(within(panel).getByTestId('step-error').textContent).toContain('ProviderNotConfigured');
    const help = within(panel).getByTestId('step-error-help').textContent ?? '';
    expect(help).toContain('No API key is set');
    expect(help).toContain('allowSimulator=true');
  });

  it('shows no explanation for an error it has none for', async () => {
    const failed = step('pm', 'FAILED', { error: { name: 'ContentFiltered', message: 'blocked' } });
    const s = server([run('FAILED', [failed, step('coder', 'SKIPPED')])]);
    renderWithApi(<RunPage runId={RUN_ID} pollMs={20} />, s.api);

    fireEvent.click(await screen.findByTestId('step-item-pm'));

    const panel = await screen.findByTestId('step-panel');
    expect(within(panel).getByTestId('step-error').textContent).toContain('ContentFiltered');
    expect(within(panel).queryByTestId('step-error-help')).toBeNull();
  });

  it('shows the latest loop iteration, a skip reason and child run links in the step panel', async () => {
    const child = '44444444-4444-4444-8444-444444444444';
    const s = server([
      run('SUCCEEDED', [
        step('pm', 'SUCCEEDED', { iteration: 1, output: 'first draft' }),
        step('pm', 'SUCCEEDED', { iteration: 2, output: 'second draft' }),
        step('coder', 'SKIPPED', {
          iteration: 1,
          skipReason: 'no branch leads here: the condition on pm -> coder is false',
          children: [{ runId: child, index: 0, status: 'SUCCEEDED' }],
        }),
      ]),
    ]);
    renderWithApi(<RunPage runId={RUN_ID} pollMs={20} />, s.api);

    fireEvent.click(await screen.findByTestId('step-item-pm'));
    const pmPanel = await screen.findByTestId('step-panel');
    expect(within(pmPanel).getByTestId('step-iteration').textContent).toBe('2');
    expect(within(pmPanel).getByTestId('step-output').textContent).toContain('second draft');

    fireEvent.click(await screen.findByTestId('step-item-coder'));
    const reason = await screen.findByTestId('step-skip-reason');
    expect(reason.textContent).toBe(
      'Skipped: no branch leads here: the condition on pm -> coder is false',
    );
    const link = within(screen.getByTestId('step-children')).getByRole('link', { name: 'item 0' });
    expect(link.getAttribute('href')).toContain(`/runs/${child}`);
  });

  it('offers Cancel to a dev on a live run and hides run controls from a viewer', async () => {
    const live = server([run('RUNNING', [step('pm', 'RUNNING')])]);
    const { unmount } = renderWithApi(<RunPage runId={RUN_ID} pollMs={1000} />, live.api, 'dev');
    expect(await screen.findByTestId('run-cancel')).toBeTruthy();
    unmount();

    const viewer = server([run('FAILED', [finishedPm, step('coder', 'FAILED')])]);
    renderWithApi(<RunPage runId={RUN_ID} pollMs={1000} />, viewer.api, 'viewer');
    await screen.findByTestId('step-node-coder');
    expect(screen.queryByTestId('run-cancel')).toBeNull();
    expect(screen.queryByTestId('run-rerun')).toBeNull();
  });
});

describe('the run graph on a live run', () => {
  /** React Flow's wrapper of each step node: hidden while React Flow thinks it is unmeasured. */
  const wrappers = () =>
    screen
      .getAllByTestId(/^step-node-/)
      .map((el) => el.closest('.react-flow__node') as HTMLElement);

  it('keeps every step node visible through live updates (never blank)', async () => {
    // Prepare: a run the test moves on, drawn where no ResizeObserver ever reports
    const states = [
      run('RUNNING', [step('pm', 'RUNNING'), step('coder', 'PENDING')]),
      run('RUNNING', [finishedPm, step('coder', 'RUNNING')]),
      run('SUCCEEDED', [finishedPm, step('coder', 'SUCCEEDED')]),
    ];
    let stage = 0;
    const { api } = apiWith((call: Call) => {
      if (call.path === '/v1/auth/refresh') return { status: 200, body: tokens(1) };
      if (call.path === `/v1/runs/${RUN_ID}`) return { status: 200, body: states[stage] };
      if (call.path === `/v1/runs/${RUN_ID}/events`) return { status: 200, body: { items: [] } };
      if (call.path === `/v1/workflows/${WF_ID}`) return { status: 200, body: workflow };
      if (call.path === `/v1/workflows/${WF_ID}/versions`)
        return {
          status: 200,
          body: { items: [{ version: 3, spec: workflow, createdAt: workflow.createdAt }] },
        };
      return { status: 404, body: { error: { code: 'NotFound', message: 'no route' } } };
    });

    // Act: each stage is shown before the run moves on
    renderWithApi(<RunPage runId={RUN_ID} pollMs={20} />, api);
    const seen: string[][] = [];
    for (const [next, status] of [
      [1, 'PENDING'],
      [2, 'RUNNING'],
      [2, 'SUCCEEDED'],
    ] as const) {
      await waitFor(() =>
        expect(screen.getByTestId('step-node-coder').getAttribute('data-status')).toBe(status),
      );
      seen.push(wrappers().map((w) => w.style.visibility));
      stage = next;
    }

    // Assess
    expect(seen).toEqual([
      ['visible', 'visible'],
      ['visible', 'visible'],
      ['visible', 'visible'],
    ]);
  });

  it('retries a failed workflow read instead of drawing the run without its workflow', async () => {
    // Prepare: the first reads are rate limited, the next ones answer
    let limited = 2;
    const { api, calls } = apiWith((call: Call) => {
      if (call.path === '/v1/auth/refresh') return { status: 200, body: tokens(1) };
      if (call.path === `/v1/runs/${RUN_ID}`)
        return { status: 200, body: run('RUNNING', [step('pm', 'RUNNING')]) };
      if (call.path === `/v1/runs/${RUN_ID}/events`) return { status: 200, body: { items: [] } };
      if (call.path.startsWith(`/v1/workflows/${WF_ID}`) && limited-- > 0)
        return { status: 429, body: { error: { code: 'RateLimited', message: 'slow down' } } };
      if (call.path === `/v1/workflows/${WF_ID}`) return { status: 200, body: workflow };
      if (call.path === `/v1/workflows/${WF_ID}/versions`)
        return {
          status: 200,
          body: { items: [{ version: 3, spec: workflow, createdAt: workflow.createdAt }] },
        };
      return { status: 404, body: { error: { code: 'NotFound', message: 'no route' } } };
    });

    // Act
    renderWithApi(<RunPage runId={RUN_ID} pollMs={20} />, api);

    // Assess: the workflow's own nodes (coder has no step yet) and its name arrive
    await screen.findByTestId('step-node-coder');
    expect(screen.getByRole('link', { name: 'Review' })).toBeTruthy();
    expect(calls.filter((c) => c.path === `/v1/workflows/${WF_ID}/versions`)).toHaveLength(2);
  });

  it('does not retry when the workflow is gone: the run draws its own steps', async () => {
    // Prepare
    const { api, calls } = apiWith((call: Call) => {
      if (call.path === '/v1/auth/refresh') return { status: 200, body: tokens(1) };
      if (call.path === `/v1/runs/${RUN_ID}`)
        return { status: 200, body: run('SUCCEEDED', [finishedPm]) };
      if (call.path === `/v1/runs/${RUN_ID}/events`) return { status: 200, body: { items: [] } };
      return { status: 404, body: { error: { code: 'NotFound', message: 'workflow not found' } } };
    });

    // Act
    renderWithApi(<RunPage runId={RUN_ID} pollMs={20} />, api);

    // Assess
    await screen.findByTestId('step-node-pm');
    expect(screen.getByRole('link', { name: 'review' })).toBeTruthy();
    expect(calls.filter((c) => c.path === `/v1/workflows/${WF_ID}/versions`)).toHaveLength(1);
  });
});
