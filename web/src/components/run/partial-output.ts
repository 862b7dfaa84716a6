/**
 * A step's partial output while its model generates (ADR 142), from its `step.output_delta` run
 * events: the text of its latest streaming attempt, and the attempts whose partial output was
 * discarded (`step.output_discarded`: the attempt failed, a retry or a fallback follows).
 */
import type { RunEvent, RunStep } from '../../api/types';

export interface PartialOutputView {
  attempt: number;
  text: string;
  /** The partial output reached its cap; the rest comes with the final output. */
  truncated: boolean;
  /** Attempts whose partial output was discarded, with why. */
  discarded: Array<{ attempt: number; reason: string }>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/** Partial output only: the timeline leaves these to the step panel. */
export const isOutputDelta = (e: RunEvent) => e.type === 'step.output_delta';

export function partialOutputOfStep(
  step: RunStep | undefined,
  events: readonly RunEvent[],
): PartialOutputView | undefined {
  if (!step) return undefined;
  let view: PartialOutputView | undefined;
  const discarded: PartialOutputView['discarded'] = [];
  for (const e of events) {
    if (e.stepId !== step.id || !isRecord(e.data)) continue;
    const attempt = typeof e.data.attempt === 'number' ? e.data.attempt : 0;
    if (e.type === 'step.output_discarded') {
      discarded.push({ attempt, reason: String(e.data.reason ?? '') });
      if (view?.attempt === attempt) view = undefined;
    } else if (e.type === 'step.output_delta' && typeof e.data.text === 'string') {
      if (!view || view.attempt !== attempt)
        view = { attempt, text: '', truncated: false, discarded };
      view.text += e.data.text;
      view.truncated ||= e.data.truncated === true;
    }
  }
  if (view) return { ...view, discarded };
  return discarded.length ? { attempt: 0, text: '', truncated: false, discarded } : undefined;
}
