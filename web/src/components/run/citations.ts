/**
 * Citations of a step, from wherever the platform put them: the step output (`output.citations`,
 * should a step carry them) or the step's `step.citations` run event (`data.citations`), which
 * is what agent steps with knowledge bases record (shared/rag/agent-context.ts).
 */
import type { RunEvent, RunStep } from '../../api/types';

export interface Citation {
  n: number;
  knowledgeBaseId?: string;
  documentId: string;
  title: string;
  chunkId: string;
  heading?: string;
  start?: number;
  end?: number;
  score: number;
  /** The chunk text, when the source carries it. */
  text?: string;
}

const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Well-formed citations out of unknown JSON; anything else is dropped. */
export function parseCitations(value: unknown): Citation[] {
  if (!Array.isArray(value)) return [];
  const out: Citation[] = [];
  value.forEach((raw, i) => {
    if (!raw || typeof raw !== 'object') return;
    const c = raw as Record<string, unknown>;
    const documentId = str(c.documentId);
    const chunkId = str(c.chunkId);
    if (!documentId || !chunkId) return;
    out.push({
      n: num(c.n) ?? i + 1,
      knowledgeBaseId: str(c.knowledgeBaseId),
      documentId,
      chunkId,
      title: str(c.title) ?? 'Untitled document',
      heading: str(c.heading),
      start: num(c.start),
      end: num(c.end),
      score: num(c.score) ?? 0,
      text: str(c.text) ?? str(c.snippet),
    });
  });
  return out;
}

/** The citations recorded by one `step.citations` event (empty for any other event). */
export function citationsOfEvent(e: RunEvent): Citation[] {
  if (e.type !== 'step.citations') return [];
  return parseCitations((e.data as { citations?: unknown } | undefined)?.citations);
}

/**
 * A step's citations: from its output when that lists them, else from its latest
 * `step.citations` event; `undefined` when the step retrieved nothing at all (no knowledge).
 */
export function citationsOfStep(
  step: RunStep | undefined,
  events: readonly RunEvent[],
): Citation[] | undefined {
  if (!step) return undefined;
  const fromOutput =
    step.output && typeof step.output === 'object'
      ? (step.output as { citations?: unknown }).citations
      : undefined;
  if (Array.isArray(fromOutput)) return parseCitations(fromOutput);
  const own = events.filter(
    (e) =>
      e.type === 'step.citations' && (e.stepId ? e.stepId === step.id : e.nodeId === step.nodeId),
  );
  if (own.length === 0) return undefined;
  return citationsOfEvent(own[own.length - 1]);
}
