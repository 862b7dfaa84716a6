/** The template references a node's prompt may use: declared inputs and upstream step outputs. */
import { ancestors } from './graph';
import type { LayoutEdge } from './layout';

export interface TemplateReference {
  /** Inserted text, e.g. `{{steps.pm.output}}`. */
  text: string;
  kind: 'input' | 'step';
  label: string;
}

export function availableReferences(
  nodeId: string,
  inputNames: readonly string[],
  edges: readonly LayoutEdge[],
): TemplateReference[] {
  const inputs = inputNames
    .filter(Boolean)
    .map((name) => ({ text: `{{input.${name}}}`, kind: 'input' as const, label: `input.${name}` }));
  const steps = ancestors(nodeId, edges).map((id) => ({
    text: `{{steps.${id}.output}}`,
    kind: 'step' as const,
    label: `steps.${id}.output`,
  }));
  return [...inputs, ...steps];
}

/** Insert `text` into `value` replacing the selection [start, end); returns the new value and caret. */
export function insertAt(
  value: string,
  text: string,
  start: number,
  end: number = start,
): { value: string; caret: number } {
  const s = Math.max(0, Math.min(start, value.length));
  const e = Math.max(s, Math.min(end, value.length));
  return { value: value.slice(0, s) + text + value.slice(e), caret: s + text.length };
}
