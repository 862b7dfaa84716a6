import { statusTone } from '../dag/status';

/** A run or step status as a colored pill; the text carries the meaning, color only repeats it. */
export function StatusBadge({ status }: { status: string | undefined }) {
  const tone = statusTone(status);
  return (
    <span className={`badge tone-${tone}`} data-testid="status-badge" data-status={status}>
      <span className="badge-dot" aria-hidden="true" />
      {status ? status.toLowerCase() : 'unknown'}
    </span>
  );
}
