import { useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../api/errors';
import type { WorkflowInputField } from '../api/types';
import { Dialog } from './Dialog';
import { Field } from './Field';

interface StartRunDialogProps {
  workflowName: string;
  inputs: readonly WorkflowInputField[];
  onStart: (input: Record<string, unknown>) => Promise<void>;
  onClose: () => void;
}

/** A form generated from the workflow's declared inputs, or a JSON object when it declares none. */
export function StartRunDialog({ workflowName, inputs, onStart, onClose }: StartRunDialogProps) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [json, setJson] = useState('{\n  \n}');
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setFieldErrors({});
    let input: Record<string, unknown>;
    if (inputs.length > 0) {
      input = {};
      const missing: Record<string, string[]> = {};
      for (const f of inputs) {
        const v = values[f.name] ?? '';
        if (f.required && !v.trim()) missing[f.name] = ['required'];
        if (v !== '') input[f.name] = v;
      }
      if (Object.keys(missing).length > 0) return setFieldErrors(missing);
    } else {
      try {
        const parsed: unknown = json.trim() ? JSON.parse(json) : {};
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          throw new Error('the input must be a JSON object');
        input = parsed as Record<string, unknown>;
      } catch (err) {
        return setError(`Not valid JSON: ${describeError(err)}`);
      }
    }
    setBusy(true);
    try {
      await onStart(input);
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.details.length > 0) {
        const byField: Record<string, string[]> = {};
        for (const d of err.details)
          (byField[d.path.replace(/^input\./, '')] ??= []).push(d.message);
        setFieldErrors(byField);
      }
      setError(describeError(err));
    }
  };

  return (
    <Dialog
      title={`Run ${workflowName}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form="start-run-form"
            className="btn btn-primary"
            disabled={busy}
            data-testid="start-run-submit"
          >
            {busy ? 'Starting…' : 'Start run'}
          </button>
        </>
      }
    >
      <form id="start-run-form" onSubmit={submit} noValidate data-testid="start-run-form">
        {inputs.length > 0 ? (
          inputs.map((f) => (
            <Field
              key={f.name}
              label={`${f.name}${f.required ? ' (required)' : ''}`}
              hint={f.description}
              errors={fieldErrors[f.name]}
            >
              {f.multiline ? (
                <textarea
                  rows={5}
                  value={values[f.name] ?? ''}
                  onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
                  required={f.required}
                  data-testid={`run-input-${f.name}`}
                />
              ) : (
                <input
                  value={values[f.name] ?? ''}
                  onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
                  required={f.required}
                  data-testid={`run-input-${f.name}`}
                />
              )}
            </Field>
          ))
        ) : (
          <Field
            label="Input (JSON object)"
            hint="This workflow declares no inputs; templates read {{input.<field>}} from this object."
          >
            <textarea
              rows={8}
              className="mono"
              value={json}
              onChange={(e) => setJson(e.target.value)}
              data-testid="run-input-json"
            />
          </Field>
        )}
        {error && (
          <div className="alert alert-danger" role="alert">
            {error}
          </div>
        )}
      </form>
    </Dialog>
  );
}
