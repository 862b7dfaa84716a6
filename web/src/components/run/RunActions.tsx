import { useState } from 'react';
import type { Run } from '../../api/types';
import { isTerminal } from '../../dag/status';
import { ConfirmButton } from '../ConfirmButton';

interface RunActionsProps {
  run: Run;
  onCancel: () => Promise<void>;
  onRerun: (fromStep?: string) => Promise<void>;
}

/** Cancel while live; re-run when finished, optionally from a failed step. Rendered for dev and above only. */
export function RunActions({ run, onCancel, onRerun }: RunActionsProps) {
  const [busy, setBusy] = useState(false);
  const failed = run.steps.filter((s) => s.status === 'FAILED').map((s) => s.nodeId);
  const [fromStep, setFromStep] = useState('');
  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="row">
      {!isTerminal(run.status) && (
        // Cancelling cannot be undone: the first click asks, the second cancels.
        <ConfirmButton
          className="btn btn-danger"
          disabled={busy}
          onConfirm={() => act(onCancel)}
          confirmLabel="Cancel this run? Click again"
          data-testid="run-cancel"
        >
          Cancel run
        </ConfirmButton>
      )}
      {isTerminal(run.status) && (
        <>
          {failed.length > 0 && (
            <div className="field field-inline">
              <label htmlFor="rerun-from">From</label>
              <select
                id="rerun-from"
                value={fromStep}
                onChange={(e) => setFromStep(e.target.value)}
              >
                <option value="">the start</option>
                {failed.map((id) => (
                  <option key={id} value={id}>
                    failed step {id}
                  </option>
                ))}
              </select>
            </div>
          )}
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy}
            onClick={() => act(() => onRerun(fromStep || undefined))}
            data-testid="run-rerun"
          >
            Re-run
          </button>
        </>
      )}
    </div>
  );
}
