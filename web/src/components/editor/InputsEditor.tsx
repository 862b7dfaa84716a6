import type { WorkflowInputField } from '../../api/types';

interface InputsEditorProps {
  value: readonly WorkflowInputField[];
  onChange: (next: WorkflowInputField[]) => void;
  errors?: Record<number, string[]>;
  readOnly?: boolean;
}

/** Declared run inputs: the run form is generated from them, and prompts reference them as {{input.<name>}}. */
export function InputsEditor({ value, onChange, errors = {}, readOnly }: InputsEditorProps) {
  const set = (i: number, patch: Partial<WorkflowInputField>) =>
    onChange(value.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  return (
    <fieldset className="fieldset" disabled={readOnly} data-testid="inputs-editor">
      <legend>Run inputs</legend>
      <p className="hint">Optional. With none declared, a run takes any JSON object.</p>
      {value.length > 0 && (
        <ul className="inputs-list">
          {value.map((f, i) => (
            <li key={i} className={errors[i] ? 'field-invalid' : undefined}>
              <div className="inputs-row">
                <label className="sr-only" htmlFor={`input-name-${i}`}>
                  Input {i + 1} name
                </label>
                <input
                  id={`input-name-${i}`}
                  value={f.name}
                  placeholder="name"
                  onChange={(e) => set(i, { name: e.target.value })}
                  className="mono"
                  data-testid={`input-name-${i}`}
                  aria-invalid={errors[i] ? true : undefined}
                />
                <label className="sr-only" htmlFor={`input-desc-${i}`}>
                  Input {i + 1} description
                </label>
                <input
                  id={`input-desc-${i}`}
                  value={f.description ?? ''}
                  placeholder="description"
                  onChange={(e) => set(i, { description: e.target.value })}
                />
                {!readOnly && (
                  <button
                    type="button"
                    className="btn btn-ghost btn-icon"
                    onClick={() => onChange(value.filter((_, j) => j !== i))}
                    aria-label={`Remove input ${f.name || i + 1}`}
                  >
                    ×
                  </button>
                )}
              </div>
              <div className="inputs-flags">
                <label className="check">
                  <input
                    type="checkbox"
                    checked={!!f.required}
                    onChange={(e) => set(i, { required: e.target.checked })}
                  />{' '}
                  required
                </label>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={!!f.multiline}
                    onChange={(e) => set(i, { multiline: e.target.checked })}
                  />{' '}
                  multiline
                </label>
              </div>
              {errors[i] && <p className="field-error">{errors[i].join(' · ')}</p>}
            </li>
          ))}
        </ul>
      )}
      {!readOnly && (
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          onClick={() => onChange([...value, { name: '' }])}
          data-testid="input-add"
        >
          Add input
        </button>
      )}
    </fieldset>
  );
}
