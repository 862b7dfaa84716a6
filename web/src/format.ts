/** Display formatting, one place. */

export function formatUsd(value: number | undefined | null): string {
  if (value == null || Number.isNaN(value)) return '—';
  if (value === 0) return '$0.00';
  const abs = Math.abs(value);
  // LLM calls cost fractions of a cent: keep the significant digits, at least two decimals.
  if (abs < 0.0001) return `$${value.toPrecision(2)}`;
  if (abs < 1) return `$${trimZeros(value.toFixed(4), 2)}`;
  return `$${value.toFixed(2)}`;
}

export function formatTokens(value: number | undefined | null): string {
  if (value == null) return '—';
  if (value >= 1_000_000) return `${(value / 1_000_000).toFixed(1)}M`;
  if (value >= 10_000) return `${(value / 1000).toFixed(1)}k`;
  return value.toLocaleString('en-US');
}

export function durationMs(
  start?: string | null,
  end?: string | null,
  now: number = Date.now(),
): number | undefined {
  if (!start) return undefined;
  const s = Date.parse(start);
  const e = end ? Date.parse(end) : now;
  if (Number.isNaN(s) || Number.isNaN(e)) return undefined;
  return Math.max(0, e - s);
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatDateTime(iso?: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

export function formatTime(iso?: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}

/** `0.1200` → `0.12`, keeping at least `keep` decimals. */
function trimZeros(fixed: string, keep: number): string {
  const minLength = fixed.indexOf('.') + 1 + keep;
  let end = fixed.length;
  while (end > minLength && fixed[end - 1] === '0') end--;
  return fixed.slice(0, end);
}
