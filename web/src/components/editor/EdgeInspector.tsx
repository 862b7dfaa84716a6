import type { WorkFlowEdge } from '../../dag/workflowFlow';
import { Field } from '../Field';

export function EdgeInspector({
  edge,
  issues,
  readOnly,
  onChange,
  onDelete,
  onClose,
}: {
  edge: WorkFlowEdge;
  issues: string[];
  readOnly: boolean;
  onChange: (when: 'success' | 'failure' | 'always') => void;
  onDelete: () => void;
  onClose: () => void;
}) {
  return (
    <section className="card inspector" aria-labelledby="edge-title" data-testid="edge-inspector">
      <div className="card-header">
        <h2 id="edge-title">
          Edge <span className="mono">{edge.source}</span> →{' '}
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
      <Field
        label="Runs when"
        errors={issues}
        hint="success: after it succeeded · failure: only if it failed · always: either way"
      >
        <select
          value={edge.data?.when ?? 'success'}
          disabled={readOnly}
          onChange={(e) => onChange(e.target.value as 'success' | 'failure' | 'always')}
        >
          <option value="success">success</option>
          <option value="failure">failure</option>
          <option value="always">always</option>
        </select>
      </Field>
      {!readOnly && (
        <div className="form-actions">
          <button type="button" className="btn btn-danger-ghost" onClick={onDelete}>
            Remove edge
          </button>
        </div>
      )}
    </section>
  );
}
