import type { Condition } from '../../dag/conditions';
import { conditionLabel } from '../../dag/conditions';
import type { WorkEdgeData, WorkFlowEdge } from '../../dag/workflowFlow';
import { Field } from '../Field';
import { ConditionForm } from './ConditionForm';

/** An edge's when, its `if` condition (a form), and for a loop's back edge its bound. */
export function EdgeInspector({
  edge,
  paths,
  issues,
  readOnly,
  onChange,
  onDelete,
  onClose,
}: {
  edge: WorkFlowEdge;
  /** The paths a condition on this edge may read. */
  paths: readonly string[];
  issues: string[];
  readOnly: boolean;
  onChange: (patch: Partial<WorkEdgeData>) => void;
  onDelete: () => void;
  onClose: () => void;
}) {
  const loop = edge.data?.maxIterations !== undefined;
  const cond = edge.data?.if;
  return (
    <section className="card inspector" aria-labelledby="edge-title" data-testid="edge-inspector">
      <div className="card-header">
        <h2 id="edge-title">
          {loop ? 'Loop edge' : 'Edge'} <span className="mono">{edge.source}</span> →{' '}
          <span className="mono">{edge.target}</span>
        </h2>
        <button
          type="button"
          className="btn btn-ghost btn-icon"
          onClick={onClose}
          aria-label="Close edge editor"
        >
          ×
        </button>
      </div>
      {issues.length > 0 && (
        <ul className="alert alert-danger" role="alert" data-testid="edge-issues">
          {issues.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      )}
      <fieldset className="fieldset-plain" disabled={readOnly}>
        <Field
          label="Runs when"
          hint="success: after it succeeded · failure: only if it failed · always: either way"
        >
          <select
            value={edge.data?.when ?? 'success'}
            onChange={(e) => {
              const when = (['success', 'failure', 'always'] as const).find(
                (w) => w === e.target.value,
              );
              onChange({ when });
            }}
            data-testid="edge-when"
          >
            <option value="success">success</option>
            <option value="failure">failure</option>
            <option value="always">always</option>
          </select>
        </Field>
        {loop && (
          <Field
            label="Max iterations"
            hint={`Runs ${edge.target} … ${edge.source} again while the condition holds, at most this many times (1–20).`}
          >
            <input
              type="number"
              min={1}
              max={20}
              required
              value={edge.data?.maxIterations ?? ''}
              onChange={(e) =>
                onChange({ maxIterations: e.target.value === '' ? 1 : Number(e.target.value) })
              }
              data-testid="edge-max-iterations"
            />
          </Field>
        )}
        <fieldset className="fieldset">
          <legend>{loop ? 'Loop again if' : 'Only if'}</legend>
          {cond && (
            <p className="mono condition-summary" data-testid="condition-summary">
              {conditionLabel(cond)}
            </p>
          )}
          <ConditionForm
            value={cond}
            paths={paths}
            required={loop}
            onChange={(next: Condition | undefined) => onChange({ if: next })}
          />
        </fieldset>
      </fieldset>
      {!readOnly && (
        <div className="form-actions">
          <button
            type="button"
            className="btn btn-danger-ghost"
            onClick={onDelete}
            data-testid="edge-delete"
          >
            Remove edge
          </button>
        </div>
      )}
    </section>
  );
}
