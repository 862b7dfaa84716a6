import type { RunStep, WorkflowNode } from '../../api/types';
import { StatusBadge } from '../StatusBadge';
import { durationMs, formatDuration, formatUsd } from '../../format';

/** The steps as a keyboard- and phone-friendly list beside the graph. */
export function StepList({
  nodes,
  steps,
  selected,
  onSelect,
}: {
  nodes: readonly WorkflowNode[];
  steps: readonly RunStep[];
  selected: string | null;
  onSelect: (nodeId: string) => void;
}) {
  const byNode = new Map(steps.map((s) => [s.nodeId, s]));
  return (
    <ul className="step-list" aria-label="Steps">
      {nodes.map((n) => {
        const step = byNode.get(n.id);
        return (
          <li key={n.id}>
            <button
              type="button"
              className={`step-item${selected === n.id ? ' is-selected' : ''}`}
              aria-pressed={selected === n.id}
              onClick={() => onSelect(n.id)}
              data-testid={`step-item-${n.id}`}
            >
              <span className="step-item-name">{n.id}</span>
              <StatusBadge status={step?.status ?? 'PENDING'} />
              <span className="step-item-meta muted">
                {step
                  ? `${formatDuration(durationMs(step.startedAt, step.finishedAt))} · ${formatUsd(step.costUsd)}`
                  : 'not started'}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
