/** @jest-environment jsdom */
import { jest } from '@jest/globals';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { parseBatchInputs } from '../../web/src/batches/parseInputs';
import { type Batch, progressSegments } from '../../web/src/batches/progress';
import { BatchProgress } from '../../web/src/components/BatchProgress';
import { Layout } from '../../web/src/components/Layout';
import { StartBatchDialog } from '../../web/src/components/StartBatchDialog';
import { BatchPage } from '../../web/src/pages/BatchPage';
import { BatchesPage } from '../../web/src/pages/BatchesPage';
import { navigate } from '../../web/src/router/hash';
import { apiWith, error, renderWithApi, tokens } from './support';

const text = (testId: string) => screen.getByTestId(testId).textContent;
const disabled = (testId: string) => (screen.getByTestId(testId) as HTMLButtonElement).disabled;

const BATCH = '44444444-4444-4444-8444-444444444444';
const WF = '22222222-2222-4222-8222-222222222222';
const RUN = '55555555-5555-4555-8555-555555555555';

const counts = (over: Partial<Batch['counts']> = {}): Batch['counts'] => ({
  total: 10,
  notStarted: 0,
  queued: 0,
  running: 0,
  waiting: 0,
  succeeded: 0,
  failed: 0,
  cancelled: 0,
  ...over,
});

const batch = (over: Partial<Batch> = {}): Batch => ({
  id: BATCH,
  workflowId: WF,
  workflowSlug: 'digest',
  workflowVersion: 2,
  status: 'RUNNING',
  maxConcurrency: 3,
  counts: counts({ succeeded: 4, running: 2, notStarted: 4 }),
  createdAt: '2026-11-29T10:00:00Z',
  runs: {
    items: [
      {
        id: RUN,
        workflowId: WF,
        workflowSlug: 'digest',
        workflowVersion: 2,
        status: 'SUCCEEDED',
        startedAt: '2026-11-29T10:00:01Z',
        costUsd: 0,
        batchId: BATCH,
        batchIndex: 0,
      } as Batch['runs']['items'][number],
    ],
  },
  ...over,
});

test('reads a .json array or JSON Lines and names what it cannot read', () => {
  expect(parseBatchInputs('[{"a":1},{"a":2}]', 'in.json')).toEqual({
    ok: true,
    inputs: [{ a: 1 }, { a: 2 }],
  });
  expect(parseBatchInputs('{"a":1}\n{"a":2}\n{"a":3}\n', 'in.jsonl')).toEqual({
    ok: true,
    inputs: [{ a: 1 }, { a: 2 }, { a: 3 }],
  });
  // Pasted text: an array when it starts with `[`, else lines.
  expect(parseBatchInputs('[{"a":1}]')).toMatchObject({ ok: true, inputs: [{ a: 1 }] });
  expect(parseBatchInputs('{"a":1}\n\n{"a":2}')).toEqual({ ok: false, error: 'Line 2 is blank.' });
  expect(parseBatchInputs('{"a":1}\n{"a":')).toEqual({
    ok: false,
    error: 'Line 2 is not valid JSON.',
  });
  expect(parseBatchInputs('{"a":1}\n[1]')).toEqual({
    ok: false,
    error: 'Line 2 is not a JSON object.',
  });
  expect(parseBatchInputs('[{"a":1}, 3]', 'x.json')).toEqual({
    ok: false,
    error: 'inputs[1] is not a JSON object.',
  });
  expect(parseBatchInputs('{"a":1}', 'x.json')).toEqual({
    ok: false,
    error: 'A .json file must hold an array.',
  });
});

test('the dialog counts a picked file, sends the inputs and lists a 400 per input', async () => {
  // Prepare
  const { api, calls } = apiWith((call) =>
    call.path === '/v1/auth/refresh'
      ? { status: 200, body: tokens(1) }
      : error(400, 'ValidationError', '1 of 3 inputs refused', [
          { path: 'inputs[2].title', message: 'required' },
        ]),
  );
  const onStart = async (inputs: Record<string, unknown>[], maxConcurrency: number) => {
    await api.batches.start(WF, inputs, maxConcurrency);
  };
  render(<StartBatchDialog workflowName="Digest" onStart={onStart} onClose={() => {}} />);
  expect(disabled('start-batch-submit')).toBe(true);

  // Act: pick a JSON Lines file
  const lines = '{"title":"a"}\n{"title":"b"}\n{"x":1}\n';
  const file = new File([lines], 'titles.jsonl');
  // jsdom's File lacks text(); the browser's reads the same bytes.
  Object.defineProperty(file, 'text', { value: async () => lines });
  fireEvent.change(screen.getByLabelText('Inputs file'), { target: { files: [file] } });
  await waitFor(() => expect(text('batch-count')).toContain('3 inputs read from titles.jsonl.'));
  fireEvent.change(screen.getByLabelText('Max concurrency'), { target: { value: '2' } });
  fireEvent.click(screen.getByTestId('start-batch-submit'));

  // Assert: the inputs went as read, and the API's refusal names the input and field
  const details = await screen.findByTestId('batch-error-details');
  const sent = calls.filter((c) => c.path.endsWith('/batches'));
  expect(sent.map((c) => [c.method, c.path, c.body])).toEqual([
    [
      'POST',
      `/v1/workflows/${WF}/batches`,
      { inputs: [{ title: 'a' }, { title: 'b' }, { x: 1 }], maxConcurrency: 2 },
    ],
  ]);
  expect(
    within(details)
      .getAllByRole('listitem')
      .map((li) => li.textContent),
  ).toEqual(['inputs[2].title: required']);
  expect(text('batch-error')).toContain('1 of 3 inputs refused');
});

test('the dialog refuses a bad pasted line and a concurrency out of range before sending', () => {
  const onStart = jest.fn(async () => {});
  render(<StartBatchDialog workflowName="Digest" onStart={onStart} onClose={() => {}} />);
  fireEvent.change(screen.getByLabelText('Or paste JSON Lines'), {
    target: { value: '{"a":1}\nnot json' },
  });
  expect(text('batch-parse-error')).toContain('Line 2 is not valid JSON.');
  expect(disabled('start-batch-submit')).toBe(true);
  fireEvent.change(screen.getByLabelText('Or paste JSON Lines'), {
    target: { value: '{"a":1}\n{"a":2}' },
  });
  expect(text('batch-count')).toContain('2 inputs read.');
  fireEvent.change(screen.getByLabelText('Max concurrency'), { target: { value: '0' } });
  expect(disabled('start-batch-submit')).toBe(true);
  expect(onStart).not.toHaveBeenCalled();
});

test('the progress bar is proportional to the counts; queued and waiting count as running', () => {
  const c = counts({ total: 8, succeeded: 2, failed: 1, queued: 1, running: 1, waiting: 1 });
  c.notStarted = 1;
  c.cancelled = 1;
  expect(progressSegments(c).map((s) => [s.key, s.count, s.percent])).toEqual([
    ['succeeded', 2, 25],
    ['failed', 1, 12.5],
    ['running', 3, 37.5],
    ['cancelled', 1, 12.5],
    ['notStarted', 1, 12.5],
  ]);
  expect(progressSegments(counts({ total: 0 })).every((s) => s.percent === 0)).toBe(true);

  render(<BatchProgress counts={counts({ succeeded: 7, failed: 3 })} />);
  expect(screen.getByTestId('batch-seg-succeeded').style.width).toBe('70%');
  expect(screen.getByTestId('batch-seg-failed').style.width).toBe('30%');
  expect(screen.queryByTestId('batch-seg-running')).toBeNull();
  expect(screen.getByRole('img', { name: '10 inputs: 7 succeeded, 3 failed' })).toBeTruthy();
});

test('the batch page shows counts and runs, and cancels after a confirming click', async () => {
  // Prepare
  let current = batch();
  const { api, calls } = apiWith((call) => {
    if (call.method === 'GET' && call.path === `/v1/batches/${BATCH}`)
      return { status: 200, body: current };
    if (call.method === 'POST' && call.path === `/v1/batches/${BATCH}/cancel`) {
      current = batch({ status: 'CANCELLED', counts: counts({ succeeded: 4, cancelled: 6 }) });
      const { runs: _runs, ...summary } = current;
      return { status: 200, body: summary };
    }
    return { status: 404 };
  });
  renderWithApi(<BatchPage batchId={BATCH} />, api, 'dev');

  // Assert: counts and the run link
  await screen.findByText('4 of 10 runs finished');
  expect(text('batch-count-running')).toContain('running: 2');
  expect(text('batch-count-notStarted')).toContain('not started: 4');
  expect(
    screen.getByRole('link', { name: `Open run ${RUN.slice(0, 8)}` }).getAttribute('href'),
  ).toBe(`#/runs/${RUN}`);

  // Act: cancel needs a second click
  const cancel = screen.getByTestId('batch-cancel');
  fireEvent.click(cancel);
  expect(calls.some((c) => c.path.endsWith('/cancel'))).toBe(false);
  fireEvent.click(cancel);

  // Assert: cancelled, re-read, and no Cancel any more
  await screen.findByText('10 of 10 runs finished');
  expect(calls.filter((c) => c.path.endsWith('/cancel'))).toHaveLength(1);
  expect(screen.queryByTestId('batch-cancel')).toBeNull();
  expect(text('batch-count-cancelled')).toContain('cancelled: 6');
});

test('a viewer sees no Cancel', async () => {
  const { api } = apiWith(() => ({ status: 200, body: batch() }));
  renderWithApi(<BatchPage batchId={BATCH} />, api, 'viewer');
  await screen.findByText('4 of 10 runs finished');
  expect(screen.queryByTestId('batch-cancel')).toBeNull();
});

test('batches are a tab under Runs: the list links each batch, Runs stays current in the nav', async () => {
  // Prepare
  const { runs: _runs, ...summary } = batch();
  const { api } = apiWith((call) =>
    call.path === '/v1/batches' ? { status: 200, body: { items: [summary] } } : { status: 404 },
  );
  navigate('/batches');

  // Act
  renderWithApi(
    <Layout>
      <BatchesPage />
    </Layout>,
    api,
    'viewer',
  );
  const row = await screen.findByTestId('batch-row');

  // Assess
  expect(row.textContent).toContain('4 of 10 done');
  expect(within(row).getByRole('link').getAttribute('href')).toBe(`#/batches/${BATCH}`);
  const tabs = screen.getByRole('navigation', { name: 'Runs and batches' });
  expect(within(tabs).getByRole('link', { name: 'Batches' }).getAttribute('aria-current')).toBe(
    'page',
  );
  const primary = screen.getByRole('navigation', { name: 'Primary' });
  expect(within(primary).getByRole('link', { name: 'Runs' }).getAttribute('aria-current')).toBe(
    'page',
  );
});
