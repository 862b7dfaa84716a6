import { createHash } from 'node:crypto';

/** Outcome of a usage record written before its provider call and replaced after it. */
export const IN_FLIGHT = 'in_flight';

/**
 * Outcome of an in-flight record a step's predecessor wrote when it planned the step (ADR 186):
 * no task has called the provider for it yet, unless the one that took it died mid-call.
 */
export const PREPARED = 'prepared';

/** Outcomes of a record whose call may have been made and never reported back. */
export const UNREPORTED: readonly string[] = [IN_FLIGHT, PREPARED];

/**
 * The budget reservation of one attempt, its idempotency key: a redelivered task re-reserves
 * nothing. A prepared attempt's is its own, so a task that releases it (ADR 186) and walks again
 * reserves afresh.
 */
export function attemptReservationId(a: {
  stepId: string | null;
  executionId: string | null;
  attempt: number;
  outcome?: string;
}): string {
  const id = `${a.stepId}:${a.executionId}:${a.attempt}`;
  return a.outcome === PREPARED ? `${id}:${PREPARED}` : id;
}

/**
 * The id of the prepared record of a step in an execution (ADR 186): known without a read, so the
 * step's task that finds no prepared call in its process writes its own attempt 1 over it.
 */
export function preparedRecordId(stepId: string, executionId: string): string {
  const h = createHash('md5').update(`${stepId}:${executionId}:${PREPARED}`).digest('hex');
  // Shaped as a version 4, variant 1 UUID: only its uniqueness matters.
  const variant = ((Number.parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
