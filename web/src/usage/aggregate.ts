/** Roll usage rows (grouped by several dimensions at once) up by one dimension, for charts and totals. */
import type { UsageRow } from '../api/types';

export interface Bucket {
  key: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

export type Dimension = 'day' | 'workflow' | 'provider';

export function keyOf(row: UsageRow, dim: Dimension): string {
  if (dim === 'day') return (row.day ?? '').slice(0, 10) || 'unknown';
  if (dim === 'workflow') return row.workflowSlug ?? row.workflowId ?? 'no workflow';
  return row.provider ?? 'unknown';
}

export function rollUp(rows: readonly UsageRow[], dim: Dimension): Bucket[] {
  const map = new Map<string, Bucket>();
  for (const row of rows) {
    const key = keyOf(row, dim);
    const b = map.get(key) ?? { key, costUsd: 0, inputTokens: 0, outputTokens: 0 };
    b.costUsd += Number(row.costUsd) || 0;
    b.inputTokens += Number(row.inputTokens) || 0;
    b.outputTokens += Number(row.outputTokens) || 0;
    map.set(key, b);
  }
  const list = [...map.values()];
  return dim === 'day'
    ? list.sort((a, b) => a.key.localeCompare(b.key))
    : list.sort((a, b) => b.costUsd - a.costUsd);
}

/** Every day in [from, to] (YYYY-MM-DD), filled with zeros where nothing was spent. */
export function fillDays(buckets: readonly Bucket[], from: string, to: string): Bucket[] {
  const byDay = new Map(buckets.map((b) => [b.key, b]));
  const out: Bucket[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && out.length < 400; t += 86_400_000) {
    const key = new Date(t).toISOString().slice(0, 10);
    out.push(byDay.get(key) ?? { key, costUsd: 0, inputTokens: 0, outputTokens: 0 });
  }
  return out;
}

export function totals(rows: readonly UsageRow[]): Omit<Bucket, 'key'> {
  return rows.reduce(
    (t, r) => ({
      costUsd: t.costUsd + (Number(r.costUsd) || 0),
      inputTokens: t.inputTokens + (Number(r.inputTokens) || 0),
      outputTokens: t.outputTokens + (Number(r.outputTokens) || 0),
    }),
    { costUsd: 0, inputTokens: 0, outputTokens: 0 },
  );
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
