/**
 * The fallback walk (ADR 010): which chain entry the next attempt of a step uses, decided from the
 * step's own attempt records (usage_records of this step and execution), not from a bare counter.
 * Pure: the agent step reads the records, this decides, the gateway calls.
 *
 * Rules, applied to the LAST recorded attempt:
 *   none yet                          → entry 0 (the primary)
 *   skipped (CircuitOpen)             → the next entry
 *   ProviderThrottled                 → the SAME entry once more (a 429 is usually momentary and the
 *                                       provider told us when to come back), waiting out the rest of
 *                                       its Retry-After, unless that wait is longer than
 *                                       MAX_HONOURED_RETRY_AFTER_MS; the 2nd throttle in a row on an
 *                                       entry (or a too-long Retry-After) → the next entry
 *   ProviderUnavailable (5xx, timeout,
 *     reset, malformed body)          → the next entry (an outage rarely ends within seconds; the
 *                                       circuit breaker tracks it)
 *   OutputSchemaMismatch              → the next entry; never the same model twice (ADR 013)
 * Past the end of the chain the walk stays on the LAST entry (a single-model agent still gets its
 * retries), except after OutputSchemaMismatch, which has nowhere left to go (`exhausted`).
 * The step's maxAttempts bounds the number of real calls either way.
 */
export const THROTTLE_TRIES_PER_ENTRY = 2;
/** Longest Retry-After the step waits out itself before moving on to the next entry instead. */
export const MAX_HONOURED_RETRY_AFTER_MS = 20_000;

export interface PriorAttempt {
  /** Index in the chain of the entry this attempt used. */
  chainIndex: number;
  outcome: 'success' | 'error' | 'skipped' | 'blocked';
  errorName?: string | null;
  retryAfterMs?: number | null;
  /** When the attempt ended (ms since epoch). */
  endedAt: number;
}

export type NextAttempt =
  | {
      exhausted: false;
      chainIndex: number;
      waitMs: number;
      reason?: { from: number; errorName: string; count: number };
    }
  | { exhausted: true; reason: string };

export function planNextAttempt(
  chainLength: number,
  prior: readonly PriorAttempt[],
  now: number,
): NextAttempt {
  const last = prior[prior.length - 1];
  if (!last) return { exhausted: false, chainIndex: 0, waitMs: 0 };
  const lastIndex = chainLength - 1;
  const next = (errorName: string, count: number): NextAttempt => ({
    exhausted: false,
    chainIndex: Math.min(last.chainIndex + 1, lastIndex),
    waitMs: 0,
    reason: last.chainIndex < lastIndex ? { from: last.chainIndex, errorName, count } : undefined,
  });

  if (last.outcome === 'skipped') return next(last.errorName ?? 'CircuitOpen', 1);
  if (last.errorName === 'OutputSchemaMismatch') {
    if (last.chainIndex >= lastIndex)
      return { exhausted: true, reason: 'OutputSchemaMismatch on the last model of the chain' };
    return next('OutputSchemaMismatch', 1);
  }
  if (last.errorName === 'ProviderThrottled') {
    const streak = throttleStreak(prior, last.chainIndex);
    const retryAfter = last.retryAfterMs ?? 0;
    if (streak < THROTTLE_TRIES_PER_ENTRY && retryAfter <= MAX_HONOURED_RETRY_AFTER_MS) {
      return {
        exhausted: false,
        chainIndex: last.chainIndex,
        waitMs: Math.max(0, last.endedAt + retryAfter - now),
      };
    }
    return next('ProviderThrottled', streak);
  }
  return next(last.errorName ?? 'UnknownError', 1);
}

/** Consecutive throttles on `index` at the end of the history. */
function throttleStreak(prior: readonly PriorAttempt[], index: number): number {
  let n = 0;
  for (let i = prior.length - 1; i >= 0; i--) {
    const a = prior[i];
    if (a.chainIndex !== index || a.errorName !== 'ProviderThrottled') break;
    n++;
  }
  return n;
}

/** Calls that reached (or would have reached) a provider: skipped and budget-blocked rows are not attempts. */
export function realAttempts(prior: readonly PriorAttempt[]): number {
  return prior.filter((a) => a.outcome === 'success' || a.outcome === 'error').length;
}
