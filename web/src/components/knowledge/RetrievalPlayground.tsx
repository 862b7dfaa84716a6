import { useId, useState, type FormEvent } from 'react';
import type { SearchHit, SearchMode, SearchResult } from '../../api/types';
import { useApi } from '../../session/ApiContext';
import { ErrorBanner } from '../ErrorBanner';
import { Highlighted } from './Highlighted';
import { LabelledEvaluation } from './LabelledEvaluation';
import { compactText, headingTrail, queryTerms } from './highlight';
import { ScoreBar } from './ScoreBar';

const TOP_K = [3, 5, 10, 20] as const;
const MODES: { value: SearchMode; label: string }[] = [
  { value: 'hybrid', label: 'Hybrid' },
  { value: 'vector', label: 'Vector only' },
  { value: 'text', label: 'Full text only' },
];

/** `''` = the base's default reranker (if it has one); `none` = fused order only. */
const RERANKERS: { value: string; label: string }[] = [
  { value: '', label: 'Base default' },
  { value: 'none', label: 'None (fused order)' },
  { value: 'local:align', label: 'local:align (offline word alignment)' },
  { value: 'llm:simulator:judge', label: 'LLM via gateway (simulator)' },
];

interface Result {
  query: string;
  terms: string[];
  items: SearchHit[];
  mode: SearchMode;
  embeddingModel: string;
  rerank?: SearchResult['rerank'];
}

/**
 * The retrieval playground: a query against one knowledge base (POST …/search), the hits with
 * their score as a bar, document, offsets and chunk text with the query's words marked.
 */
export function RetrievalPlayground({
  knowledgeBaseId,
  hint,
}: {
  knowledgeBaseId: string;
  hint?: string;
}) {
  const api = useApi();
  const id = useId();
  const [query, setQuery] = useState('');
  const [topK, setTopK] = useState<number>(5);
  const [mode, setMode] = useState<SearchMode>('hybrid');
  const [rerank, setRerank] = useState('');
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const search = async (e: FormEvent) => {
    e.preventDefault();
    const q = query.trim();
    if (!q) return;
    setBusy(true);
    setError(null);
    try {
      const res = await api.knowledge.search(knowledgeBaseId, q, topK, mode, rerank || undefined);
      setResult({
        rerank: res.rerank,
        query: q,
        terms: queryTerms(q),
        items: res.items,
        mode: res.mode,
        embeddingModel: res.embeddingModel,
      });
    } catch (err) {
      setResult(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const max = result ? Math.max(0, ...result.items.map((h) => h.score)) : 0;
  return (
    <section className="card playground" aria-labelledby={`${id}-title`} data-testid="playground">
      <div className="card-header">
        <h2 id={`${id}-title`}>Retrieval playground</h2>
        {result && (
          <span className="muted small" data-testid="playground-summary">
            {result.items.length} hit{result.items.length === 1 ? '' : 's'} · {result.mode} ·{' '}
            {result.embeddingModel}
            {result.rerank && (
              <span data-testid="playground-rerank">
                {' '}
                · reranked by {result.rerank.ref}
                {result.rerank.simulated ? ' (simulator: order kept)' : ''} · moved{' '}
                {result.rerank.moved} of {result.rerank.candidates} ·{' '}
                {Math.round(result.rerank.latencyMs)} ms
                {result.rerank.error ? ` · failed, fused order kept: ${result.rerank.error}` : ''}
              </span>
            )}
          </span>
        )}
      </div>
      {hint && <p className="muted small">{hint}</p>}
      {/* biome-ignore lint/a11y/useSemanticElements: React's DOM types have no <search> element yet; role="search" is its equivalent */}
      <form
        className="playground-form"
        role="search"
        aria-label="Search this knowledge base"
        onSubmit={search}
      >
        <div className="field playground-query">
          <label htmlFor={`${id}-q`}>Query</label>
          <input
            id={`${id}-q`}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="Ask what an agent would ask"
            data-testid="playground-query"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-k`}>Top k</label>
          <select
            id={`${id}-k`}
            value={topK}
            onChange={(e) => setTopK(Number(e.target.value))}
            data-testid="playground-topk"
          >
            {TOP_K.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-m`}>Mode</label>
          <select
            id={`${id}-m`}
            value={mode}
            onChange={(e) => setMode(e.target.value as SearchMode)}
            data-testid="playground-mode"
          >
            {MODES.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-r`}>Rerank</label>
          <select
            id={`${id}-r`}
            value={rerank}
            onChange={(e) => setRerank(e.target.value)}
            data-testid="playground-rerank-select"
          >
            {RERANKERS.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={busy || !query.trim()}
          data-testid="playground-search"
        >
          {busy ? 'Searching…' : 'Search'}
        </button>
      </form>
      <ErrorBanner error={error} title="Search failed" />
      <LabelledEvaluation
        knowledgeBaseId={knowledgeBaseId}
        mode={mode}
        rerank={rerank || undefined}
      />
      {result && result.items.length === 0 && (
        <div className="empty" data-testid="playground-empty">
          <p className="empty-title">No matching chunks</p>
          <div className="empty-body">
            Nothing in this knowledge base matches “{result.query}”. Documents still being ingested
            are not searchable yet.
          </div>
        </div>
      )}
      {result && result.items.length > 0 && (
        <ol className="hits" aria-label={`Hits for ${result.query}`} data-testid="playground-hits">
          {result.items.map((h, i) => (
            <li key={h.chunkId} className="hit" data-testid="hit">
              <div className="hit-head">
                <span className="hit-rank" role="img" aria-label={`rank ${i + 1}`}>
                  {i + 1}
                </span>
                <div className="hit-title">
                  <strong data-testid="hit-title">{h.title}</strong>
                  {headingTrail(h.heading, h.title) && (
                    <span className="muted small"> · {headingTrail(h.heading, h.title)}</span>
                  )}
                  <div className="muted small hit-meta">
                    characters{' '}
                    <span className="mono" data-testid="hit-offsets">
                      {h.start}–{h.end}
                    </span>
                    {h.vectorRank !== undefined && <> · vector #{h.vectorRank}</>}
                    {h.textRank !== undefined && <> · text #{h.textRank}</>}
                    {h.fusedRank !== undefined && (
                      <span data-testid="hit-fused-rank">
                        {' '}
                        · fused #{h.fusedRank}
                        {h.rerankScore !== undefined && <> · rerank {h.rerankScore.toFixed(3)}</>}
                      </span>
                    )}
                  </div>
                </div>
                <ScoreBar score={h.score} max={max} />
              </div>
              <p className="hit-text" data-testid="hit-text">
                <Highlighted text={compactText(h.text)} terms={result.terms} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
