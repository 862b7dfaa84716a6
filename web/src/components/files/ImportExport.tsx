/**
 * Workflows and agents as files in the console (ADR 140): Export downloads the YAML the API
 * renders (the CLI's format), Import sends a picked YAML or JSON file to the API's import and
 * shows what each document became (created, a new version with its changed fields, unchanged).
 */
import { useRef, useState } from 'react';
import type { FileContentType, ImportReport } from '../../api/types';
import { Dialog } from '../Dialog';
import { ErrorBanner } from '../ErrorBanner';

/** Saves text as a file through a temporary object URL (no server round trip). */
export function downloadText(text: string, filename: string, type = 'application/yaml'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

export function ExportButton({
  label,
  filename,
  load,
}: {
  /** What is exported, for the accessible name ("Export workflow Feature pipeline"). */
  label: string;
  filename: string;
  load: () => Promise<string>;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      downloadText(await load(), filename);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        className="btn btn-secondary btn-sm"
        onClick={run}
        disabled={busy}
        aria-label={`Export ${label}`}
        data-testid="export-file"
      >
        {busy ? 'Exporting…' : 'Export'}
      </button>
      {error !== undefined && <ErrorBanner error={error} title={`Could not export ${label}`} />}
    </>
  );
}

/** YAML unless the file says JSON by its name or type. */
export function contentTypeOf(file: { name: string; type: string }): FileContentType {
  return /\.json$/i.test(file.name) || file.type === 'application/json'
    ? 'application/json'
    : 'application/yaml';
}

export function ImportButton({
  what,
  send,
  onImported,
}: {
  /** "workflow" or "agent": names the button and the dialog. */
  what: string;
  send: (text: string, contentType: FileContentType, dryRun: boolean) => Promise<ImportReport>;
  onImported: () => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<
    | {
        file: string;
        text: string;
        type: FileContentType;
        report?: ImportReport;
        error?: unknown;
        busy: boolean;
      }
    | undefined
  >(undefined);

  /** First a dry run: the dialog shows what would change; Apply then writes it. */
  const run = async (file: string, text: string, type: FileContentType, dryRun: boolean) => {
    setState({ file, text, type, busy: true });
    try {
      const report = await send(text, type, dryRun);
      setState({ file, text, type, report, busy: false });
      if (!dryRun && report.items.some((i) => i.outcome !== 'unchanged')) onImported();
    } catch (error) {
      setState({ file, text, type, error, busy: false });
    }
  };
  const picked = async (file: File | undefined) => {
    if (!file) return;
    const text = await file.text();
    // The same file can be picked again after editing it.
    if (input.current) input.current.value = '';
    await run(file.name, text, contentTypeOf(file), true);
  };
  const pending =
    state?.report?.dryRun === true && state.report.items.some((i) => i.outcome !== 'unchanged');

  return (
    <>
      <button
        type="button"
        className="btn btn-secondary"
        onClick={() => input.current?.click()}
        data-testid="import-file"
      >
        Import {what}…
      </button>
      <input
        ref={input}
        type="file"
        accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml"
        className="sr-only"
        tabIndex={-1}
        aria-label={`${what} file to import`}
        data-testid="import-file-input"
        onChange={(e) => void picked(e.target.files?.[0])}
      />
      {state && (
        <Dialog
          title={`Import ${state.file}`}
          onClose={() => setState(undefined)}
          footer={
            pending ? (
              <>
                <button
                  type="button"
                  className="btn btn-secondary"
                  onClick={() => setState(undefined)}
                >
                  Cancel
                </button>
                <button
                  type="button"
                  className="btn btn-primary"
                  onClick={() => void run(state.file, state.text, state.type, false)}
                  data-testid="import-apply"
                >
                  Apply
                </button>
              </>
            ) : (
              <button type="button" className="btn btn-primary" onClick={() => setState(undefined)}>
                Done
              </button>
            )
          }
        >
          {state.busy && <p role="status">{state.report ? 'Importing…' : 'Checking the file…'}</p>}
          <ErrorBanner error={state.error} title={`The ${what} file was not imported`} />
          {state.report && (
            <>
              <p role="status" data-testid="import-summary">
                {state.report.dryRun
                  ? pending
                    ? 'Nothing is written yet. Apply makes these changes:'
                    : 'The file matches what is there: nothing to change.'
                  : 'Imported.'}
              </p>
              <ImportResult report={state.report} />
            </>
          )}
        </Dialog>
      )}
    </>
  );
}

const OUTCOME_TEXT = {
  created: 'created',
  updated: 'new version',
  unchanged: 'unchanged',
} as const;
const WOULD_TEXT = {
  created: 'to create',
  updated: 'new version',
  unchanged: 'unchanged',
} as const;

function ImportResult({ report }: { report: ImportReport }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="import-result">
        <caption className="sr-only">What the import did</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Slug</th>
            <th scope="col">Result</th>
            <th scope="col">Changed fields</th>
          </tr>
        </thead>
        <tbody>
          {report.items.map((i) => (
            <tr key={`${i.kind}:${i.slug}`} data-testid="import-row" data-outcome={i.outcome}>
              <td>{i.kind}</td>
              <td className="mono">{i.slug}</td>
              <td>
                {(report.dryRun ? WOULD_TEXT : OUTCOME_TEXT)[i.outcome]} (v{i.version})
              </td>
              <td>{i.changed.length ? i.changed.join(', ') : <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
