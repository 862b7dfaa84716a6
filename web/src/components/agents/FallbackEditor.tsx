import { isModelRef, ModelInput } from './ModelInput';

interface FallbackEditorProps {
  value: readonly string[];
  onChange: (next: string[]) => void;
  disabled?: boolean;
  errors?: Record<number, string[]>;
}

/** The provider fallback chain: an ordered list of `provider:model`, tried in turn when the primary fails. */
export function FallbackEditor({ value, onChange, disabled, errors }: FallbackEditorProps) {
  const set = (i: number, v: string) => onChange(value.map((x, j) => (j === i ? v : x)));
  const move = (i: number, by: number) => {
    const next = [...value];
    const [item] = next.splice(i, 1);
    next.splice(i + by, 0, item);
    onChange(next);
  };
  return (
    <fieldset className="fieldset" disabled={disabled}>
      <legend>Fallback chain</legend>
      <p className="hint">
        Tried in order when the primary model is throttled or unavailable (up to 5).
      </p>
      {value.length === 0 && <p className="muted">No fallbacks.</p>}
      <ol className="list-editor">
        {value.map((item, i) => {
          const errs = [
            ...(errors?.[i] ?? []),
            ...(item && !isModelRef(item) ? ['must be provider:model'] : []),
          ];
          return (
            <li key={i}>
              <label className="sr-only" htmlFor={`fallback-${i}`}>
                Fallback {i + 1}
              </label>
              <ModelInput
                id={`fallback-${i}`}
                value={item}
                onChange={(v) => set(i, v)}
                aria-invalid={errs.length > 0 || undefined}
                data-testid={`fallback-${i}`}
              />
              {!disabled && (
                <>
                  <button
                    type="button"
                    className="btn btn-ghost btn-icon"
                    onClick={() => move(i, -1)}
                    disabled={i === 0}
                    aria-label={`Move fallback ${i + 1} up`}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="btn btn-ghost btn-icon"
                    onClick={() => move(i, 1)}
                    disabled={i === value.length - 1}
                    aria-label={`Move fallback ${i + 1} down`}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="btn btn-ghost btn-icon"
                    onClick={() => onChange(value.filter((_, j) => j !== i))}
                    aria-label={`Remove fallback ${i + 1}`}
                  >
                    ×
                  </button>
                </>
              )}
              {errs.length > 0 && <span className="field-error">{errs.join(' · ')}</span>}
            </li>
          );
        })}
      </ol>
      {!disabled && value.length < 5 && (
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          onClick={() => onChange([...value, ''])}
          data-testid="fallback-add"
        >
          Add fallback
        </button>
      )}
    </fieldset>
  );
}
