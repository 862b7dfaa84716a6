/** @jest-environment jsdom */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type {
  Agent,
  KnowledgeBase,
  KnowledgeDocument,
  RunEvent,
  RunStep,
  SearchHit,
} from '../../web/src/api/types';
import { AgentForm, bodyOf, draftOf } from '../../web/src/components/agents/AgentForm';
import {
  compactText,
  headingTrail,
  highlightSegments,
  queryTerms,
} from '../../web/src/components/knowledge/highlight';
import { parseLabelled, summarise } from '../../web/src/components/knowledge/LabelledEvaluation';
import { CreateKnowledgeBaseDialog } from '../../web/src/components/knowledge/CreateKnowledgeBaseDialog';
import { RetrievalPlayground } from '../../web/src/components/knowledge/RetrievalPlayground';
import { citationsOfStep } from '../../web/src/components/run/citations';
import { CitationsPanel } from '../../web/src/components/run/CitationsPanel';
import { EventsTimeline } from '../../web/src/components/run/EventsTimeline';
import { StepPanel } from '../../web/src/components/run/StepPanel';
import { KnowledgePage } from '../../web/src/pages/KnowledgePage';
import { apiWith, error, renderWithApi, tokens, type Call } from './support';

const KB_ID = '44444444-4444-4444-8444-444444444444';
const DOC_ID = '55555555-5555-4555-8555-555555555555';
const CHUNK_A = '66666666-6666-4666-8666-666666666661';
const CHUNK_B = '66666666-6666-4666-8666-666666666662';
const STEP_ID = '77777777-7777-4777-8777-777777777777';

const kb: KnowledgeBase = {
  id: KB_ID,
  name: 'Handbook',
  description: 'How we work',
  embeddingModel: 'local',
  dimensions: 384,
  chunking: { size: 800, overlap: 100 },
  documentCount: 1,
  createdAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-01T10:00:00Z',
};

const doc = (
  status: KnowledgeDocument['status'],
  extra: Partial<KnowledgeDocument> = {},
): KnowledgeDocument => ({
  id: DOC_ID,
  knowledgeBaseId: KB_ID,
  title: 'Refund policy',
  source: 'text',
  status,
  chunkCount: status === 'ready' ? 3 : 0,
  reusedChunkCount: 0,
  metadata: {},
  createdAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-01T10:00:00Z',
  ...extra,
});

const hit = (
  chunkId: string,
  score: number,
  text: string,
  extra: Partial<SearchHit> = {},
): SearchHit => ({
  documentId: DOC_ID,
  title: 'Refund policy',
  chunkId,
  text,
  heading: 'Refunds',
  score,
  start: 0,
  end: text.length,
  ...extra,
});

const notFound = { status: 404, body: { error: { code: 'NotFound', message: 'no route' } } };

describe('query highlighting', () => {
  it('takes the distinct words of a query, without stop words, longest first', () => {
    expect(queryTerms('How do REFUNDS work for refunds?')).toEqual(['refunds', 'work', 'do']);
    expect(queryTerms('  ')).toEqual([]);
  });

  it('marks terms case-insensitively at word starts, and leaves regex characters alone', () => {
    const segs = highlightSegments('Refunds take 14 days; refunding twice (a+b) is not.', [
      'refund',
      'a+b',
    ]);
    expect(segs.filter((s) => s.match).map((s) => s.text)).toEqual(['Refund', 'refund', 'a+b']);
    expect(segs.map((s) => s.text).join('')).toBe(
      'Refunds take 14 days; refunding twice (a+b) is not.',
    );
    // Not inside a word.
    expect(highlightSegments('prefund', ['refund']).some((s) => s.match)).toBe(false);
  });

  it('shows a chunk heading without the title it repeats, and text without runs of blank lines', () => {
    expect(headingTrail('Guide › Guide › Setup', 'Guide')).toBe('Setup');
    expect(headingTrail('Guide', 'Guide')).toBe('');
    expect(headingTrail('Other › Setup', 'Guide')).toBe('Other › Setup');
    expect(compactText('# A\n\n\n## B\n  \ntext')).toBe('# A\n## B\ntext');
  });
});

describe('RetrievalPlayground', () => {
  function server(respond: (call: Call) => { status: number; body?: unknown }) {
    return apiWith((call) =>
      call.path === '/v1/auth/refresh' ? { status: 200, body: tokens(1) } : respond(call),
    );
  }

  it('shows each hit with its title, score bar, offsets and the chunk text with the query terms marked, safely', async () => {
    const { api, calls } = server((call) =>
      call.path === `/v1/knowledge-bases/${KB_ID}/search`
        ? {
            status: 200,
            body: {
              mode: 'hybrid',
              embeddingModel: 'local',
              items: [
                hit(
                  CHUNK_A,
                  0.0328,
                  'Refunds are paid within 14 days. <img src=x onerror="window.pwned=1">',
                  { start: 120, end: 190, vectorRank: 1, textRank: 2 },
                ),
                hit(CHUNK_B, 0.0164, 'Shipping is free above 50 euros.', {
                  title: 'Shipping',
                  heading: 'Shipping',
                  start: 0,
                  end: 32,
                }),
              ],
            },
          }
        : notFound,
    );
    renderWithApi(<RetrievalPlayground knowledgeBaseId={KB_ID} />, api, 'viewer');

    fireEvent.change(screen.getByTestId('playground-query'), {
      target: { value: 'when are refunds paid' },
    });
    fireEvent.change(screen.getByTestId('playground-topk'), { target: { value: '10' } });
    fireEvent.click(screen.getByTestId('playground-search'));

    const hits = await screen.findAllByTestId('hit');
    expect(hits).toHaveLength(2);
    const search = calls.find((c) => c.path.endsWith('/search'))!;
    expect(search.method).toBe('POST');
    expect(search.body).toEqual({ query: 'when are refunds paid', topK: 10, mode: 'hybrid' });

    const first = within(hits[0]);
    expect(first.getByTestId('hit-title').textContent).toBe('Refund policy');
    expect(first.getByTestId('hit-offsets').textContent).toBe('120–190');
    expect(first.getByTestId('score').textContent).toContain('0.0328');
    // The bar is relative to the best hit: full for the first, half for the second.
    const bar = (el: HTMLElement) =>
      (el.querySelector('.score-bar > span') as HTMLElement).style.width;
    expect(bar(hits[0])).toBe('100%');
    expect(bar(hits[1])).toBe('50%');
    // Query terms are marked; "are" is a stop word and stays plain.
    expect(first.getAllByTestId('hit-mark').map((m) => m.textContent)).toEqual(['Refunds', 'paid']);
    expect(within(hits[1]).queryAllByTestId('hit-mark')).toHaveLength(0);
    // Chunk text is text, never markup.
    const text = first.getByTestId('hit-text');
    expect(text.querySelector('img')).toBeNull();
    expect(text.textContent).toContain('<img src=x onerror="window.pwned=1">');
    expect(screen.getByTestId('playground-summary').textContent).toBe('2 hits · hybrid · local');
  });

  it('reranks with the chosen model and shows the trace and each hit’s fused position', async () => {
    const { api, calls } = server((call) =>
      call.path === `/v1/knowledge-bases/${KB_ID}/search`
        ? {
            status: 200,
            body: {
              mode: 'hybrid',
              embeddingModel: 'local-semantic',
              rerank: {
                ref: 'local:align',
                provider: 'local',
                model: 'glove-align-v1',
                simulated: false,
                candidates: 20,
                moved: 4,
                latencyMs: 3.2,
              },
              items: [
                {
                  ...hit(CHUNK_B, 0.0164, 'Shipping is free above 50 euros.'),
                  fusedRank: 2,
                  rerankScore: 0.812,
                },
                {
                  ...hit(CHUNK_A, 0.0328, 'Refunds are paid within 14 days.'),
                  fusedRank: 1,
                  rerankScore: 0.4,
                },
              ],
            },
          }
        : notFound,
    );
    renderWithApi(<RetrievalPlayground knowledgeBaseId={KB_ID} />, api, 'viewer');

    fireEvent.change(screen.getByTestId('playground-query'), {
      target: { value: 'delivery cost' },
    });
    fireEvent.change(screen.getByTestId('playground-rerank-select'), {
      target: { value: 'local:align' },
    });
    fireEvent.click(screen.getByTestId('playground-search'));

    const hits = await screen.findAllByTestId('hit');
    const search = calls.find((c) => c.path.endsWith('/search'))!;
    expect(search.body).toEqual({
      query: 'delivery cost',
      topK: 5,
      mode: 'hybrid',
      rerank: 'local:align',
    });
    expect(screen.getByTestId('playground-rerank').textContent).toContain(
      'reranked by local:align · moved 4 of 20 · 3 ms',
    );
    expect(within(hits[0]).getByTestId('hit-fused-rank').textContent).toBe(
      ' · fused #2 · rerank 0.812',
    );
  });

  it('runs the base’s own labelled queries and reports MRR@10 and recall@10', async () => {
    const { api, calls } = server((call) => {
      if (call.path !== `/v1/knowledge-bases/${KB_ID}/search`) return notFound;
      const q = (call.body as { query: string }).query;
      // "dinner" finds the refund policy second; "parcel" finds nothing relevant.
      const items = q.includes('dinner')
        ? [
            hit(CHUNK_B, 0.03, 'Shipping is free.', { title: 'Shipping' }),
            hit(CHUNK_A, 0.02, 'Refunds are paid.'),
          ]
        : [hit(CHUNK_B, 0.03, 'Shipping is free.', { title: 'Shipping' })];
      return { status: 200, body: { mode: 'vector', embeddingModel: 'local-semantic', items } };
    });
    renderWithApi(<RetrievalPlayground knowledgeBaseId={KB_ID} />, api, 'viewer');

    fireEvent.change(screen.getByTestId('playground-mode'), { target: { value: 'vector' } });
    fireEvent.change(screen.getByTestId('labelled-input'), {
      target: {
        value: 'dinner costs | refund policy\nnot a labelled line\nparcel lost | Refund policy',
      },
    });
    expect(screen.getByTestId('labelled-run').textContent).toBe('Run 2 queries');
    fireEvent.click(screen.getByTestId('labelled-run'));

    const summary = await screen.findByTestId('labelled-summary');
    expect(summary.textContent).toBe('MRR@10 0.250 · recall@10 0.500 · vector');
    const rows = screen.getAllByTestId('labelled-row').map((r) => r.textContent);
    expect(rows).toEqual(['dinner costsrefund policy2', 'parcel lostRefund policynot in top 10']);
    const searches = calls.filter((c) => c.path.endsWith('/search')).map((c) => c.body);
    expect(searches).toEqual([
      { query: 'dinner costs', topK: 10, mode: 'vector' },
      { query: 'parcel lost', topK: 10, mode: 'vector' },
    ]);
    expect(parseLabelled(' a | b \n|x\nc|d|e')).toEqual([{ query: 'a', expected: 'b' }]);
    expect(summarise([])).toEqual({ mrr: 0, recall: 0 });
  });

  it('says so when nothing matches', async () => {
    const { api } = server(() => ({
      status: 200,
      body: { items: [], mode: 'text', embeddingModel: 'local' },
    }));
    renderWithApi(<RetrievalPlayground knowledgeBaseId={KB_ID} />, api);

    fireEvent.change(screen.getByTestId('playground-query'), {
      target: { value: 'quantum teleportation' },
    });
    fireEvent.change(screen.getByTestId('playground-mode'), { target: { value: 'text' } });
    fireEvent.click(screen.getByTestId('playground-search'));

    const empty = await screen.findByTestId('playground-empty');
    expect(empty.textContent).toContain('No matching chunks');
    expect(empty.textContent).toContain('quantum teleportation');
    expect(screen.queryByTestId('hit')).toBeNull();
  });

  it('shows the API error and clears earlier hits', async () => {
    let fail = false;
    const { api } = server(() =>
      fail
        ? error(400, 'ValidationError', 'query is too long', [
            { path: 'query', message: 'at most 4000 characters' },
          ])
        : {
            status: 200,
            body: {
              items: [hit(CHUNK_A, 0.5, 'Refunds')],
              mode: 'hybrid',
              embeddingModel: 'local',
            },
          },
    );
    renderWithApi(<RetrievalPlayground knowledgeBaseId={KB_ID} />, api);
    fireEvent.change(screen.getByTestId('playground-query'), { target: { value: 'refunds' } });
    fireEvent.click(screen.getByTestId('playground-search'));
    await screen.findByTestId('hit');

    fail = true;
    fireEvent.click(screen.getByTestId('playground-search'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Search failed');
    expect(alert.textContent).toContain('query is too long');
    expect(alert.textContent).toContain('at most 4000 characters');
    expect(screen.queryByTestId('hit')).toBeNull();
  });
});

describe('KnowledgePage', () => {
  it('refreshes document status while ingestion runs, then stops', async () => {
    const states: KnowledgeDocument['status'][] = ['queued', 'chunking', 'embedding', 'ready'];
    let docGets = 0;
    const { api, calls } = apiWith((call) => {
      if (call.path === '/v1/auth/refresh') return { status: 200, body: tokens(1) };
      if (call.path === '/v1/knowledge-bases') return { status: 200, body: { items: [kb] } };
      if (call.path === `/v1/knowledge-bases/${KB_ID}/documents`)
        return {
          status: 200,
          body: { items: [doc(states[Math.min(docGets++, states.length - 1)])] },
        };
      return notFound;
    });
    renderWithApi(<KnowledgePage pollMs={5} />, api, 'dev');

    await waitFor(() =>
      expect(screen.getByTestId('doc-row').getAttribute('data-status')).toBe('ready'),
    );
    const row = screen.getByTestId('doc-row');
    expect(within(row).getByTestId('status-badge').textContent).toBe('ready');
    expect(within(row).getByTestId('doc-chunks').textContent).toBe('3');
    expect(docGets).toBeGreaterThanOrEqual(states.length);
    // The list is re-read for its counts once ingestion settles; then polling stops.
    await waitFor(() =>
      expect(calls.filter((c) => c.path === '/v1/knowledge-bases').length).toBeGreaterThan(1),
    );
    const seen = docGets;
    await act(() => new Promise((r) => setTimeout(r, 60)));
    expect(docGets).toBe(seen);
  });

  it('shows a failed document with its reason', async () => {
    const { api } = apiWith((call) => {
      if (call.path === '/v1/auth/refresh') return { status: 200, body: tokens(1) };
      if (call.path === '/v1/knowledge-bases') return { status: 200, body: { items: [kb] } };
      if (call.path.endsWith('/documents'))
        return { status: 200, body: { items: [doc('failed', { error: 'the PDF is encrypted' })] } };
      return notFound;
    });
    renderWithApi(<KnowledgePage pollMs={5} />, api, 'dev');
    expect((await screen.findByTestId('doc-error')).textContent).toBe('the PDF is encrypted');
    expect(screen.getByTestId('status-badge').className).toContain('tone-danger');
  });

  it('uploads a file: presigned URL with {filename, contentType}, PUT to it, then the ingest route', async () => {
    const uploadUrl = 'http://127.0.0.1:4569/documents/t/kb/doc/notes.md?X-Amz-Signature=abc';
    let documents: KnowledgeDocument[] = [];
    const { api, calls } = apiWith((call) => {
      if (call.path === '/v1/auth/refresh') return { status: 200, body: tokens(1) };
      if (call.path === '/v1/knowledge-bases') return { status: 200, body: { items: [kb] } };
      if (call.path === `/v1/knowledge-bases/${KB_ID}/documents` && call.method === 'GET')
        return { status: 200, body: { items: documents } };
      if (call.path === `/v1/knowledge-bases/${KB_ID}/documents` && call.method === 'POST')
        return {
          status: 201,
          body: {
            ...doc('queued', { source: 'upload', filename: 'notes.md', title: 'notes.md' }),
            uploadUrl,
          },
        };
      if (call.url === uploadUrl && call.method === 'PUT') return { status: 200 };
      if (call.path === `/v1/knowledge-bases/${KB_ID}/documents/${DOC_ID}/ingest`) {
        documents = [doc('ready', { source: 'upload', filename: 'notes.md', title: 'notes.md' })];
        return {
          status: 202,
          body: doc('queued', { source: 'upload', filename: 'notes.md', title: 'notes.md' }),
        };
      }
      return notFound;
    });
    renderWithApi(<KnowledgePage pollMs={5} />, api, 'dev');

    fireEvent.click(await screen.findByTestId('doc-add'));
    fireEvent.click(screen.getByTestId('doc-mode-upload'));
    const file = new File(['# Notes\n\nRefunds take 14 days.'], 'notes.md', { type: '' });
    fireEvent.change(screen.getByTestId('doc-file'), { target: { files: [file] } });
    fireEvent.click(screen.getByTestId('doc-add-submit'));

    await screen.findByTestId('doc-row');
    const sequence = calls.filter((c) => c.method !== 'GET' && c.path !== '/v1/auth/refresh');
    expect(
      sequence.map(
        (c) => `${c.method} ${c.url.startsWith('http://127.0.0.1:4569') ? 'uploadUrl' : c.path}`,
      ),
    ).toEqual([
      `POST /v1/knowledge-bases/${KB_ID}/documents`,
      'PUT uploadUrl',
      `POST /v1/knowledge-bases/${KB_ID}/documents/${DOC_ID}/ingest`,
    ]);
    expect(sequence[0].body).toEqual({ filename: 'notes.md', contentType: 'text/markdown' });
    // The PUT carries the file itself with the signed Content-Type and no credentials.
    expect(sequence[1].body).toBe(file);
    expect(sequence[1].contentType).toBe('text/markdown');
    expect(sequence[1].auth).toBeNull();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('deletes the half-made document when the upload PUT fails, and says why', async () => {
    const { api, calls } = apiWith((call) => {
      if (call.path === '/v1/auth/refresh') return { status: 200, body: tokens(1) };
      if (call.path === '/v1/knowledge-bases') return { status: 200, body: { items: [kb] } };
      if (call.path.endsWith('/documents') && call.method === 'GET')
        return { status: 200, body: { items: [] } };
      if (call.path.endsWith('/documents') && call.method === 'POST')
        return { status: 201, body: { ...doc('queued'), uploadUrl: 'http://s3.test/put' } };
      if (call.url === 'http://s3.test/put') return { status: 403 };
      if (call.method === 'DELETE') return { status: 204 };
      return notFound;
    });
    renderWithApi(<KnowledgePage pollMs={5} />, api, 'dev');
    fireEvent.click(await screen.findByTestId('doc-add'));
    fireEvent.click(screen.getByTestId('doc-mode-upload'));
    fireEvent.change(screen.getByTestId('doc-file'), {
      target: { files: [new File(['x'], 'a.txt', { type: 'text/plain' })] },
    });
    fireEvent.click(screen.getByTestId('doc-add-submit'));

    expect((await screen.findByRole('alert')).textContent).toContain(
      'Storage refused the file (HTTP 403)',
    );
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([
      `/v1/knowledge-bases/${KB_ID}/documents/${DOC_ID}`,
    ]);
    expect(calls.some((c) => c.path.endsWith('/ingest'))).toBe(false);
  });

  it('gives a viewer the documents and the playground but no write controls', async () => {
    const { api } = apiWith((call) => {
      if (call.path === '/v1/auth/refresh') return { status: 200, body: tokens(1) };
      if (call.path === '/v1/knowledge-bases') return { status: 200, body: { items: [kb] } };
      if (call.path.endsWith('/documents')) return { status: 200, body: { items: [doc('ready')] } };
      return notFound;
    });
    renderWithApi(<KnowledgePage />, api, 'viewer');
    await screen.findByTestId('doc-row');
    expect(screen.getByTestId('playground')).toBeTruthy();
    for (const id of ['kb-new', 'kb-delete', 'doc-add', 'doc-delete'])
      expect(screen.queryByTestId(id)).toBeNull();
  });
});

describe('citations on the run page', () => {
  const citationEvent = (citations: unknown[]): RunEvent => ({
    seq: 3,
    type: 'step.citations',
    stepId: STEP_ID,
    nodeId: 'answer',
    message: `answer retrieved ${citations.length} sources: Refund policy`,
    data: { citations },
    at: '2026-11-01T10:00:02Z',
  });
  const cites = [
    {
      n: 1,
      knowledgeBaseId: KB_ID,
      documentId: DOC_ID,
      title: 'Refund policy',
      chunkId: CHUNK_A,
      heading: 'Refunds',
      start: 0,
      end: 64,
      score: 0.0328,
    },
    {
      n: 2,
      knowledgeBaseId: KB_ID,
      documentId: DOC_ID,
      title: 'Refund policy',
      chunkId: CHUNK_B,
      heading: 'Exceptions',
      start: 64,
      end: 120,
      score: 0.0161,
    },
  ];
  const answer: RunStep = {
    id: STEP_ID,
    nodeId: 'answer',
    type: 'agent',
    status: 'SUCCEEDED',
    prompt: 'How long do refunds take?',
    output: 'Refunds take 14 days [1].',
    provider: 'simulator',
    model: 'echo',
    inputTokens: 10,
    outputTokens: 5,
    costUsd: 0,
    attempts: [],
  };

  it('reads citations from the step output first, else from the step.citations event', () => {
    expect(citationsOfStep(answer, [])).toBeUndefined();
    expect(citationsOfStep(answer, [citationEvent(cites)])?.map((c) => c.chunkId)).toEqual([
      CHUNK_A,
      CHUNK_B,
    ]);
    const withOutput = {
      ...answer,
      output: {
        text: 'x',
        citations: [{ ...cites[1], n: 1, text: 'Gift cards are never refunded.' }],
      },
    };
    expect(citationsOfStep(withOutput, [citationEvent(cites)])).toEqual([
      expect.objectContaining({ chunkId: CHUNK_B, text: 'Gift cards are never refunded.' }),
    ]);
    // Another step's event is not this step's.
    expect(
      citationsOfStep({ ...answer, id: 'other', nodeId: 'other' }, [citationEvent(cites)]),
    ).toBeUndefined();
  });

  it('shows title, score and the cited chunk snippet, found again by the step prompt', async () => {
    const { api, calls } = apiWith((call) => {
      if (call.path === '/v1/auth/refresh') return { status: 200, body: tokens(1) };
      if (call.path === `/v1/knowledge-bases/${KB_ID}/search`) {
        return {
          status: 200,
          body: {
            mode: 'hybrid',
            embeddingModel: 'local',
            items: [
              hit(CHUNK_B, 0.02, 'Gift cards are never refunded.'),
              hit('99999999-9999-4999-8999-999999999999', 0.01, 'unrelated'),
              hit(CHUNK_A, 0.03, 'Refunds take   14 days\nfrom the return.'),
            ],
          },
        };
      }
      return notFound;
    });
    renderWithApi(
      <StepPanel
        nodeId="answer"
        step={answer}
        citations={citationsOfStep(answer, [citationEvent(cites)])}
        onClose={() => undefined}
      />,
      api,
      'viewer',
    );

    const items = await screen.findAllByTestId('citation');
    expect(items.map((i) => within(i).getByTestId('citation-title').textContent)).toEqual([
      'Refund policy',
      'Refund policy',
    ]);
    expect(items[0].textContent).toContain('[1]');
    expect(items[0].textContent).toContain('Refunds');
    expect(within(items[0]).getByTestId('score').textContent).toContain('0.0328');
    await waitFor(() => expect(screen.getAllByTestId('citation-snippet')).toHaveLength(2));
    expect(screen.getAllByTestId('citation-snippet').map((s) => s.textContent)).toEqual([
      'Refunds take 14 days from the return.',
      'Gift cards are never refunded.',
    ]);
    const lookups = calls.filter((c) => c.path.endsWith('/search'));
    expect(lookups).toHaveLength(1);
    expect(lookups[0].body).toEqual({ query: 'How long do refunds take?', topK: 50 });
    expect(screen.getByTestId('citations').textContent).toContain('Sources (2)');
  });

  it('uses the chunk text a citation carries without asking the API, and says when nothing was found', async () => {
    const { api, calls } = apiWith(() => notFound);
    const { unmount } = renderWithApi(
      <CitationsPanel
        citations={[{ ...cites[0], text: 'Refunds take 14 days.' } as never]}
        query="refunds"
      />,
      api,
    );
    expect(screen.getByTestId('citation-snippet').textContent).toBe('Refunds take 14 days.');
    unmount();
    renderWithApi(<CitationsPanel citations={[]} query="refunds" />, api);
    expect(screen.getByTestId('citations-none')).toBeTruthy();
    expect(calls).toHaveLength(0);
  });

  it('renders the step.citations event in the timeline as a list of sources', () => {
    const { container } = renderWithApi(
      <EventsTimeline events={[citationEvent(cites)]} live={false} />,
      apiWith(() => notFound).api,
    );
    const item = container.querySelector('[data-type="step.citations"]')!;
    expect(item.querySelector('.timeline-type')!.textContent).toBe('sources retrieved');
    const sources = within(item as HTMLElement).getByTestId('timeline-sources');
    expect([...sources.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      '[1] Refund policy · Refunds · score 0.0328',
      '[2] Refund policy · Exceptions · score 0.0161',
    ]);
  });
});

describe('AgentForm knowledge bases', () => {
  const agent: Agent = {
    id: '88888888-8888-4888-8888-888888888888',
    slug: 'support',
    name: 'Support',
    role: '',
    systemPrompt: '',
    model: 'simulator:echo',
    fallbacks: [],
    parameters: {},
    knowledgeBaseIds: ['aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'],
    version: 2,
    publishedVersion: 2,
    createdAt: '2026-11-01T10:00:00Z',
    updatedAt: '2026-11-01T10:00:00Z',
  };

  it('attaches the checked bases as knowledgeBaseIds and keeps unknown ids detachable', () => {
    let submitted: ReturnType<typeof bodyOf> | undefined;
    renderWithApi(
      <AgentForm
        initial={agent}
        knowledgeBases={[kb]}
        readOnly={false}
        issues={[]}
        busy={false}
        onSubmit={(d) => (submitted = bodyOf(d))}
      />,
      apiWith(() => notFound).api,
    );
    fireEvent.click(screen.getByTestId(`agent-kb-${KB_ID}`));
    fireEvent.click(screen.getByTestId('agent-kb-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'));
    fireEvent.click(screen.getByTestId('agent-save'));
    expect(submitted?.knowledgeBaseIds).toEqual([KB_ID]);
    expect(bodyOf(draftOf()).knowledgeBaseIds).toEqual([]);
  });
});

describe('citation snippets', () => {
  it('leave out markdown heading lines and shorten long text', async () => {
    const { snippetOf } = await import('../../web/src/components/run/CitationsPanel');
    expect(snippetOf('# Guide\n## Setup\nRun   the\ninstaller.')).toBe('Run the installer.');
    expect(snippetOf('# Only a heading')).toBe('# Only a heading');
    expect(snippetOf('word '.repeat(100), 20)).toBe('word word word word…');
  });
});

describe('CreateKnowledgeBaseDialog', () => {
  it('creates a base on a self-hosted model with its dimensions and a default reranker', async () => {
    const { api, calls } = apiWith((call) =>
      call.path === '/v1/auth/refresh'
        ? { status: 200, body: tokens(1) }
        : call.path === '/v1/knowledge-bases'
          ? {
              status: 400,
              body: {
                error: {
                  code: 'ValidationError',
                  message: 'bad',
                  details: [{ path: 'dimensions', message: 'one of 384, 768, 1024, 1536' }],
                },
              },
            }
          : notFound,
    );
    renderWithApi(
      <CreateKnowledgeBaseDialog onClose={() => {}} onCreated={() => {}} />,
      api,
      'admin',
    );

    fireEvent.change(screen.getByTestId('kb-name'), { target: { value: 'own models' } });
    fireEvent.change(screen.getByTestId('kb-embedding-model'), { target: { value: 'compatible' } });
    expect((screen.getByTestId('kb-create-submit') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('kb-hosted-model'), {
      target: { value: 'mxbai-embed-large' },
    });
    fireEvent.change(screen.getByTestId('kb-dimensions'), { target: { value: '1024' } });
    fireEvent.change(screen.getByTestId('kb-rerank'), { target: { value: 'local:align' } });
    fireEvent.click(screen.getByTestId('kb-create-submit'));

    // The API's field error lands under the dimensions control (the banner words it as a sentence).
    const fieldErrors = await screen.findAllByText(/one of 384, 768, 1024, 1536/);
    expect(fieldErrors.some((e) => e.classList.contains('field-error'))).toBe(true);
    const create = calls.find((c) => c.path === '/v1/knowledge-bases' && c.method === 'POST');
    expect(create?.body).toEqual({
      name: 'own models',
      description: '',
      embeddingModel: 'compatible:mxbai-embed-large',
      dimensions: 1024,
      rerank: 'local:align',
      chunking: { size: 1000, overlap: 150 },
    });
  });
});
