import type { RunStatus, StepStatus } from '../api/types';

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/** QUEUED, RUNNING and WAITING runs still change; the run page polls only those. */
export function isTerminal(status: RunStatus | undefined): boolean {
  return status !== undefined && TERMINAL_RUN_STATUSES.includes(status);
}

export type Tone = 'neutral' | 'info' | 'warn' | 'success' | 'danger' | 'muted';

const TONES: Record<string, Tone> = {
  QUEUED: 'neutral',
  PENDING: 'neutral',
  RUNNING: 'info',
  WAITING: 'warn',
  SUCCEEDED: 'success',
  FAILED: 'danger',
  CANCELLED: 'muted',
  SKIPPED: 'muted',
  COMPLETED: 'success', // a batch
  // knowledge-base documents (lowercase in the API)
  queued: 'neutral',
  extracting: 'info',
  chunking: 'info',
  embedding: 'info',
  ready: 'success',
  failed: 'danger',
};

/** The color family of a run or step status (CSS classes `tone-<tone>`). */
export function statusTone(status: RunStatus | StepStatus | string | undefined): Tone {
  return (status && TONES[status]) || 'neutral';
}
