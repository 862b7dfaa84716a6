import type { TemplateReference } from '../../dag/references';

/** The references a prompt may use, as buttons that insert them at the caret. */
export function ReferenceChips({
  refs,
  onInsert,
  disabled,
}: {
  refs: readonly TemplateReference[];
  onInsert: (text: string) => void;
  disabled?: boolean;
}) {
  if (refs.length === 0) {
    return (
      <p className="hint">
        No references yet: declare inputs, or connect upstream steps, to reference them here.
      </p>
    );
  }
  return (
    <fieldset className="chips" aria-label="Insert a reference">
      {refs.map((r) => (
        <button
          key={r.text}
          type="button"
          className={`chip chip-${r.kind}`}
          onClick={() => onInsert(r.text)}
          disabled={disabled}
          title={`Insert ${r.text}`}
          data-testid={`ref-chip-${r.label}`}
        >
          {r.text}
        </button>
      ))}
    </fieldset>
  );
}
