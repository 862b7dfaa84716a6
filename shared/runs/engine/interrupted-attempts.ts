/**
 * Attempts whose provider call never reported back: the process (a local runtime, a Lambda that
 * timed out) died between writing the `in_flight` usage record (or taking a `prepared` one, ADR
 * 186) and replacing it. The provider may
 * have billed the call, so it is charged at the estimate the record carries (the request's prompt
 * tokens and its output allowance), flagged `AttemptInterrupted`, and its budget reservation settled.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { runSteps, runs, usageRecords } from '../../db/schema';
import { settleReservation } from '../../llm/budgets';
import { costOf, findPrice, roundUsd } from '../../llm/prices';
import { attemptReservationId, PREPARED, UNREPORTED } from '../../llm/attempt-outcomes';
import { appendEvent } from '../events';

export const INTERRUPTED_ERROR = 'AttemptInterrupted';

export type InterruptedScope =
  | { readonly runId: string }
  | { readonly stepId: string; readonly executionId: string };

/** Charges every in-flight attempt in scope; returns how many and their estimated cost. */
export async function settleInterruptedAttempts(
  tx: Tx,
  tenantId: string,
  scope: InterruptedScope,
): Promise<{ count: number; costUsd: number }> {
  const where =
    'runId' in scope
      ? and(eq(usageRecords.runId, scope.runId), inArray(usageRecords.outcome, [...UNREPORTED]))
      : and(
          eq(usageRecords.stepId, scope.stepId),
          eq(usageRecords.executionId, scope.executionId),
          inArray(usageRecords.outcome, [...UNREPORTED]),
        );
  return settleInterruptedRows(
    tx,
    tenantId,
    await tx.select().from(usageRecords).where(where).for('update'),
  );
}

/** Charges the given in-flight attempts (read `for update` by the caller). */
export async function settleInterruptedRows(
  tx: Tx,
  tenantId: string,
  rows: (typeof usageRecords.$inferSelect)[],
): Promise<{ count: number; costUsd: number }> {
  let total = 0;
  for (const row of rows) {
    const simulated = row.provider === 'simulator' || row.model.endsWith(' (simulated)');
    const price = simulated
      ? undefined
      : await findPrice(tx, tenantId, row.provider, row.model, row.createdAt);
    const tokens = {
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
      cachedInputTokens: 0,
    };
    const costUsd = price ? roundUsd(costOf(price, tokens)) : 0;
    total += costUsd;
    await tx
      .update(usageRecords)
      .set({
        outcome: 'error',
        errorName: INTERRUPTED_ERROR,
        errorMessage:
          'the process died during the provider call: charged at the estimate from the request (prompt tokens and the output allowance), not at reported usage',
        costUsd,
        priced: price !== undefined || simulated,
      })
      .where(eq(usageRecords.id, row.id));
    await settleReservation(tx, attemptReservationId(row));
    if (row.stepId && costUsd) {
      await tx
        .update(runSteps)
        .set({ costUsd: sql`${runSteps.costUsd} + ${costUsd}` })
        .where(eq(runSteps.id, row.stepId));
    }
    if (row.runId) {
      if (costUsd)
        await tx
          .update(runs)
          .set({ costUsd: sql`${runs.costUsd} + ${costUsd}` })
          .where(eq(runs.id, row.runId));
      await appendEvent(tx, {
        tenantId,
        runId: row.runId,
        stepId: row.stepId ?? undefined,
        type: 'step.attempt_interrupted',
        message: `attempt ${row.attempt} on ${row.modelRef ?? row.model} was interrupted during the provider call; charged at its estimate ($${costUsd.toFixed(6)})`,
        data: { attempt: row.attempt, estimated: true, costUsd },
      });
    }
  }
  return { count: rows.length, costUsd: roundUsd(total) };
}

/**
 * A cancelled run's prepared attempts (ADR 186) go with their reservations: the execution is
 * stopped, so most were never taken. One a task took and is calling comes back as its final
 * record (same id) with its cost; one whose task dies in that call goes uncharged.
 */
export async function releasePreparedAttempts(tx: Tx, runId: string): Promise<void> {
  await tx.execute(sql`with released as (
    delete from usage_records where run_id = ${runId}::uuid and outcome = ${PREPARED}
    returning step_id, execution_id, attempt)
  delete from budget_reservations
  where id in (select step_id || ':' || execution_id || ':' || attempt || ':' || ${PREPARED}::text from released)`);
}
