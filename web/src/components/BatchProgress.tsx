import { progressSegments, type BatchCounts } from '../batches/progress';

/**
 * A stacked bar of a batch's runs by status. The numbers are written out as text too (the
 * legend, or the bar's label when compact): the colors only repeat them.
 */
export function BatchProgress({ counts, compact }: { counts: BatchCounts; compact?: boolean }) {
  const segments = progressSegments(counts);
  const summary = segments
    .filter((s) => s.count > 0)
    .map((s) => `${s.count} ${s.label}`)
    .join(', ');
  return (
    <div className={`batch-progress${compact ? ' compact' : ''}`} data-testid="batch-progress">
      <div className="batch-bar" role="img" aria-label={`${counts.total} inputs: ${summary}`}>
        {segments.map(
          (s) =>
            s.percent > 0 && (
              <span
                key={s.key}
                className={`batch-seg seg-${s.key}`}
                style={{ width: `${s.percent}%` }}
                data-testid={`batch-seg-${s.key}`}
                data-count={s.count}
              />
            ),
        )}
      </div>
      {!compact && (
        <ul className="batch-legend">
          {segments.map((s) => (
            <li key={s.key} data-testid={`batch-count-${s.key}`}>
              <span className={`batch-swatch seg-${s.key}`} aria-hidden="true" />
              {s.label}: <strong>{s.count}</strong>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
