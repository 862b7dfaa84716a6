import { useId, useState } from 'react';
import type { SearchMode } from '../../api/types';
import { useApi } from '../../session/ApiContext';
import { ErrorBanner } from '../ErrorBanner';

export interface LabelledLine {
  query: string;
  /** The title of the document that should come first. */
  expected: string;
}

/** One labelled query per line: `question | expected document title`; other lines are ignored. */
export function parseLabelled(text: string): LabelledLine[] {
  return text
    .split('\n')
    .map((line) => line.split('|'))
    .filter((parts) => parts.length === 2 && parts[0].trim() && parts[1].trim())
    .map(([query, expected]) => ({ query: query.trim(), expected: expected.trim() }));
}

interface Row extends LabelledLine {
  /** 1-based rank of the expected document among the distinct documents of the top 10, or null. */
  rank: number | null;
}

/** MRR@10 and recall@10 of the rows (0 for an empty list). */
export function summarise(rows: Row[]): { mrr: number; recall: number } {
  if (!rows.length) return { mrr: 0, recall: 0 };
  const found = rows.filter((r) => r.rank !== null);
  return {
    mrr: found.reduce((s, r) => s + 1 / (r.rank ?? 1), 0) / rows.length,
    recall: found.length / rows.length,
  };
}

/**
 * Runs a base's own labelled queries through the same search the agents use, with the
 * playground's mode and reranker, and reports where each expected document lands (MRR@10 and
 * recall@10), so a team can compare embedders and rerankers on questions of their own.
 */
export function LabelledEvaluation({
  knowledgeBaseId,
  mode,
  rerank,
}: {
  knowledgeBaseId: string;
  mode: SearchMode;
  rerank?: string;
}) {
  const api = useApi();
  const id = useId();
  const [text, setText] = useState('');
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const lines = parseLabelled(text);

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const out: Row[] = [];
      for (const line of lines) {
        const res = await api.knowledge.search(knowledgeBaseId, line.query, 10, mode, rerank);
        const titles = [...new Set(res.items.map((h) => h.title))].slice(0, 10);
        const at = titles.findIndex((t) => t.toLowerCase() === line.expected.toLowerCase());
        out.push({ ...line, rank: at >= 0 ? at + 1 : null });
      }
      setRows(out);
    } catch (err) {
      setRows(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const summary = rows ? summarise(rows) : null;
  return (
    <details className="labelled-eval" data-testid="labelled-eval">
      <summary>Evaluate with labelled queries</summary>
      <div className="field">
        <label htmlFor={`${id}-t`}>One per line: question | expected document title</label>
        <textarea
          id={`${id}-t`}
          rows={5}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="how much can I spend on dinner while travelling | Expense policy"
          data-testid="labelled-input"
        />
      </div>
      <button
        type="button"
        className="btn"
        disabled={busy || lines.length === 0}
        onClick={run}
        data-testid="labelled-run"
      >
        {busy ? 'Running…' : `Run ${lines.length} quer${lines.length === 1 ? 'y' : 'ies'}`}
      </button>
      <ErrorBanner error={error} title="Evaluation failed" />
      {rows && summary && (
        <>
          <p data-testid="labelled-summary">
            MRR@10 {summary.mrr.toFixed(3)} · recall@10 {summary.recall.toFixed(3)} · {mode}
            {rerank ? ` · rerank ${rerank}` : ''}
          </p>
          <table className="table small">
            <thead>
              <tr>
                <th>Question</th>
                <th>Expected</th>
                <th>Rank</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.query}|${r.expected}`} data-testid="labelled-row">
                  <td>{r.query}</td>
                  <td>{r.expected}</td>
                  <td>{r.rank ?? 'not in top 10'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </details>
  );
}
