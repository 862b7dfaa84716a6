import { useRef } from 'react';
import { insertAt, type TemplateReference } from '../../dag/references';
import { Field } from '../Field';
import { ReferenceChips } from './ReferenceChips';

interface PromptEditorProps {
  value: string;
  onChange: (value: string) => void;
  refs: readonly TemplateReference[];
  errors?: string[];
  readOnly?: boolean;
}

/** A prompt template textarea with insertable `{{input.*}}` and `{{steps.*.output}}` chips. */
export function PromptEditor({ value, onChange, refs, errors, readOnly }: PromptEditorProps) {
  const area = useRef<HTMLTextAreaElement>(null);
  const insert = (text: string) => {
    const el = area.current;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? start;
    const next = insertAt(value, text, start, end);
    onChange(next.value);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(next.caret, next.caret);
    });
  };
  return (
    <div className="prompt-editor">
      <Field
        label="Prompt template"
        errors={errors}
        hint="Plain text with {{…}} placeholders; nothing inside the braces is evaluated."
      >
        <textarea
          ref={area}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          rows={8}
          className="mono"
          readOnly={readOnly}
          data-testid="node-prompt"
        />
      </Field>
      {!readOnly && <ReferenceChips refs={refs} onInsert={insert} />}
    </div>
  );
}
