import { useState, type ChangeEvent, type FormEvent } from 'react';
import { ApiError, describeError } from '../api/errors';
import { parseBatchInputs, type ParsedInputs } from '../batches/parseInputs';
import { Dialog } from './Dialog';
import { Field } from './Field';

const DEFAULT_CONCURRENCY = 10;
const MAX_CONCURRENCY = 1000;

interface StartBatchDialogProps {
  workflowName: string;
  onStart: (inputs: Record<string, unknown>[], maxConcurrency: number) => Promise<void>;
  onClose: () => void;
}

/** One run per input: a `.json` array or `.jsonl` file, or JSON Lines pasted in. */
export function StartBatchDialog({ workflowName, onStart, onClose }: StartBatchDialogProps) {
  const [text, setText] = useState('');
  const [filename, setFilename] = useState<string | undefined>();
  const [concurrency, setConcurrency] = useState(String(DEFAULT_CONCURRENCY));
  const [error, setError] = useState<string | null>(null);
  const [details, setDetails] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const parsed: ParsedInputs | null = text.trim() ? parseBatchInputs(text, filename) : null;
  const n = Number(concurrency);
  const concurrencyError =
    Number.isInteger(n) && n >= 1 && n <= MAX_CONCURRENCY
      ? undefined
      : [`a whole number from 1 to ${MAX_CONCURRENCY}`];

  const pick = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setFilename(file.name);
    setText(await file.text());
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDetails([]);
    if (!parsed) return setError('Choose a file or paste JSON Lines first.');
    if (!parsed.ok || concurrencyError) return;
    setBusy(true);
    try {
      await onStart(parsed.inputs, n);
    } catch (err) {
      setBusy(false);
      setError(describeError(err));
      // The API names each refused input (`inputs[2].title`): list them as it wrote them.
      if (err instanceof ApiError) setDetails(err.details.map((d) => `${d.path}: ${d.message}`));
    }
  };

  return (
    <Dialog
      title={`Start a batch of ${workflowName}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form="start-batch-form"
            className="btn btn-primary"
            disabled={busy || !parsed?.ok || concurrencyError !== undefined}
            data-testid="start-batch-submit"
          >
            {busy ? 'Starting…' : 'Start batch'}
          </button>
        </>
      }
    >
      <form id="start-batch-form" onSubmit={submit} noValidate data-testid="start-batch-form">
        <Field label="Inputs file" hint="A .json array of input objects, or .jsonl: one per line.">
          <input
            type="file"
            accept=".json,.jsonl,.ndjson,application/json,application/x-ndjson"
            onChange={(e) => void pick(e)}
            data-testid="batch-file"
          />
        </Field>
        <Field label="Or paste JSON Lines" hint="One input object per line.">
          <textarea
            rows={6}
            className="mono"
            value={text}
            onChange={(e) => {
              setFilename(undefined);
              setText(e.target.value);
            }}
            data-testid="batch-text"
          />
        </Field>
        <Field label="Max concurrency" hint="Runs in flight at once." errors={concurrencyError}>
          <input
            type="number"
            min={1}
            max={MAX_CONCURRENCY}
            value={concurrency}
            onChange={(e) => setConcurrency(e.target.value)}
            data-testid="batch-concurrency"
          />
        </Field>
        <p className="muted small" aria-live="polite" data-testid="batch-count">
          {parsed?.ok
            ? `${parsed.inputs.length} input${parsed.inputs.length === 1 ? '' : 's'} read${
                filename ? ` from ${filename}` : ''
              }.`
            : parsed
              ? ''
              : 'No inputs yet.'}
        </p>
        {parsed && !parsed.ok && (
          <div className="alert alert-danger" role="alert" data-testid="batch-parse-error">
            {parsed.error}
          </div>
        )}
        {error && (
          <div className="alert alert-danger" role="alert" data-testid="batch-error">
            {error}
            {details.length > 0 && (
              <ul className="alert-details" data-testid="batch-error-details">
                {details.map((d) => (
                  <li key={d} className="mono">
                    {d}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </form>
    </Dialog>
  );
}
