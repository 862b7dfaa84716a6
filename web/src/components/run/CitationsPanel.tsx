import { useEffect, useState } from 'react';
import type { Api } from '../../api/endpoints';
import { useApi } from '../../session/ApiContext';
import { Link } from '../../router/Link';
import { headingTrail } from '../knowledge/highlight';
import { ScoreBar } from '../knowledge/ScoreBar';
import type { Citation } from './citations';

const SNIPPET_CHARS = 280;

/** The chunk's prose on one line: markdown heading lines (shown as the heading trail already) left out. */
export function snippetOf(text: string, max = SNIPPET_CHARS): string {
  const prose = text
    .split('\n')
    .filter((l) => !/^\s{0,3}#{1,6}\s/.test(l))
    .join(' ');
  const flat = (prose.trim() ? prose : text).replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** Chunk texts found again per (knowledge base, query), shared by every panel of the page. */
const lookups = new Map<string, Promise<Map<string, string>>>();

function chunkTexts(
  api: Api,
  knowledgeBaseId: string,
  query: string,
): Promise<Map<string, string>> {
  const key = `${knowledgeBaseId}\u0000${query}`;
  let found = lookups.get(key);
  if (!found) {
    found = api.knowledge.search(knowledgeBaseId, query, 50).then(
      (r) => new Map(r.items.map((h) => [h.chunkId, h.text])),
      () => {
        lookups.delete(key);
        return new Map<string, string>();
      },
    );
    lookups.set(key, found);
  }
  return found;
}

/**
 * The chunk text of each citation. The `step.citations` event records document, chunk, offsets
 * and score but not the text, so it is looked up by repeating the step's retrieval (the same
 * query: the step's rendered prompt) and keeping exactly the cited chunk ids; a chunk that is
 * gone (document deleted or re-ingested) simply has no snippet.
 */
function useSnippets(
  citations: readonly Citation[],
  query: string | undefined,
): { texts: Map<string, string>; loading: boolean } {
  const api = useApi();
  const missing = citations.filter((c) => c.text === undefined && c.knowledgeBaseId);
  const bases = [
    ...new Set(missing.flatMap((c) => (c.knowledgeBaseId ? [c.knowledgeBaseId] : []))),
  ].sort();
  const q = query?.trim() ? query.slice(0, 4000) : undefined;
  const key = q && bases.length ? `${bases.join(',')}|${q}` : '';
  const [state, setState] = useState<{ key: string; texts: Map<string, string> }>({
    key: '',
    texts: new Map(),
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is derived from the bases and the query, so it stands for them
  useEffect(() => {
    if (!key || !q) return;
    let live = true;
    void Promise.all(bases.map((b) => chunkTexts(api, b, q))).then((maps) => {
      if (live) setState({ key, texts: new Map(maps.flatMap((m) => [...m])) });
    });
    return () => {
      live = false;
    };
  }, [api, key]);

  return {
    texts: state.key === key ? state.texts : new Map(),
    loading: key !== '' && state.key !== key,
  };
}

/** The sources a step retrieved from its agent's knowledge bases: document, chunk snippet, score. */
export function CitationsPanel({
  citations,
  query,
}: {
  citations: readonly Citation[] /** The step's rendered prompt (the retrieval query). */;
  query?: string;
}) {
  const { texts, loading } = useSnippets(citations, query);
  const max = Math.max(0, ...citations.map((c) => c.score));
  return (
    <section className="citations" aria-labelledby="citations-title" data-testid="citations">
      <h3 id="citations-title">Sources ({citations.length})</h3>
      {citations.length === 0 ? (
        <p className="muted" data-testid="citations-none">
          The attached knowledge bases had nothing relevant for this prompt.
        </p>
      ) : (
        <ol className="citation-list">
          {citations.map((c) => {
            const text = c.text ?? texts.get(c.chunkId);
            return (
              <li
                key={`${c.n}-${c.chunkId}`}
                className="citation"
                data-testid="citation"
                data-chunk-id={c.chunkId}
              >
                <div className="citation-head">
                  <span className="citation-n" role="img" aria-label={`source ${c.n}`}>
                    [{c.n}]
                  </span>
                  <div className="citation-title">
                    {c.knowledgeBaseId ? (
                      <Link to={`/knowledge/${c.knowledgeBaseId}`} data-testid="citation-title">
                        {c.title}
                      </Link>
                    ) : (
                      <strong data-testid="citation-title">{c.title}</strong>
                    )}
                    {headingTrail(c.heading, c.title) && (
                      <span className="muted small"> · {headingTrail(c.heading, c.title)}</span>
                    )}
                    {c.start !== undefined && c.end !== undefined && (
                      <div className="muted small">
                        characters{' '}
                        <span className="mono">
                          {c.start}–{c.end}
                        </span>
                      </div>
                    )}
                  </div>
                  <ScoreBar score={c.score} max={max} />
                </div>
                {text !== undefined ? (
                  <blockquote className="citation-snippet" data-testid="citation-snippet">
                    {snippetOf(text)}
                  </blockquote>
                ) : (
                  <p className="muted small citation-snippet-missing">
                    {loading
                      ? 'Loading the excerpt…'
                      : 'Excerpt not available (the chunk may have been re-ingested or deleted).'}
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
