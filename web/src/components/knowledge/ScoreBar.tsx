/** A score as a number and a bar relative to the best score shown beside it (color repeats the number). */
export function ScoreBar({
  score,
  max,
  label = 'score',
}: {
  score: number;
  max: number;
  label?: string;
}) {
  const pct = max > 0 ? Math.max(2, Math.min(100, (score / max) * 100)) : 0;
  return (
    <span
      className="score"
      data-testid="score"
      title={`${label} ${score.toFixed(4)}${max > 0 ? ` (${Math.round((score / max) * 100)}% of the best)` : ''}`}
    >
      <span className="score-bar" aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </span>
      <span className="score-value">{formatScore(score)}</span>
    </span>
  );
}

export function formatScore(score: number): string {
  if (!Number.isFinite(score)) return '—';
  return score >= 0.1 ? score.toFixed(3) : score.toFixed(4);
}
