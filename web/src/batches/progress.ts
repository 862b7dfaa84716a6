import type { Answer } from '../api/typed';

export type Batch = Answer<'get', '/v1/batches/{id}'>;
export type BatchSummary = Answer<'get', '/v1/batches'>['items'][number];
export type BatchCounts = Batch['counts'];

export type SegmentKey = 'succeeded' | 'failed' | 'running' | 'cancelled' | 'notStarted';

export interface Segment {
  key: SegmentKey;
  label: string;
  count: number;
  /** Share of the total, 0-100. */
  percent: number;
}

const ORDER: ReadonlyArray<[SegmentKey, string]> = [
  ['succeeded', 'succeeded'],
  ['failed', 'failed'],
  ['running', 'running'],
  ['cancelled', 'cancelled'],
  ['notStarted', 'not started'],
];

/** The progress bar's parts: queued and waiting runs count as running (they are in flight). */
export function progressSegments(counts: BatchCounts): Segment[] {
  const value: Record<SegmentKey, number> = {
    succeeded: counts.succeeded,
    failed: counts.failed,
    running: counts.running + counts.queued + counts.waiting,
    cancelled: counts.cancelled,
    notStarted: counts.notStarted,
  };
  const total = Math.max(counts.total, 0);
  return ORDER.map(([key, label]) => ({
    key,
    label,
    count: value[key],
    percent: total === 0 ? 0 : (value[key] / total) * 100,
  }));
}

/** Runs that reached an end, out of the total. */
export function finishedCount(counts: BatchCounts): number {
  return counts.succeeded + counts.failed + counts.cancelled;
}
