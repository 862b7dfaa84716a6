import { useId, type InputHTMLAttributes } from 'react';

/** Suggestions only: any `provider:model` is accepted by the API. */
export const MODEL_SUGGESTIONS = [
  'simulator:echo',
  'simulator:flaky-2',
  'openai:gpt-4.1-mini',
  'openai:gpt-4.1',
  'anthropic:claude-sonnet-4-5',
  'anthropic:claude-haiku-4-5',
  'gemini:gemini-2.5-flash',
  'gemini:gemini-2.5-pro',
  'compatible:llama3.1',
];

export const MODEL_PATTERN =
  '^(openai|anthropic|gemini|compatible|simulator):[A-Za-z0-9._\\-/:@]+$';

export function isModelRef(value: string): boolean {
  return new RegExp(MODEL_PATTERN).test(value);
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'list'>;

export function ModelInput({
  value,
  onChange,
  ...rest
}: InputProps & { value: string; onChange: (v: string) => void }) {
  const listId = useId();
  return (
    <>
      <input
        {...rest}
        value={value}
        onChange={(e) => onChange(e.target.value.trim())}
        list={listId}
        placeholder="provider:model"
        spellCheck={false}
        autoComplete="off"
      />
      <datalist id={listId}>
        {MODEL_SUGGESTIONS.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>
    </>
  );
}
