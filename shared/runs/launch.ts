/** A run's executions: the state machine that runs it, started for a new run or a continuation. */
import { eq, sql } from 'drizzle-orm';
import { runs } from '../db/schema';
import type { Platform } from '../platform/platform';
import { appendEvent } from './events';

const RUN_MACHINE = 'runWorkflow';

/**
 * The id the run's execution named `executionName` will have, for a new run to record with its
 * own insert (then `launch` writes nothing after starting it); undefined when unknown.
 */
export function plannedExecutionId(p: Platform, executionName: string): string | undefined {
  return p.executions.executionIdOf(RUN_MACHINE, executionName);
}

/**
 * Starts an execution for the run and records its id, unless the run's insert already did
 * (`recorded`, from `plannedExecutionId`); a failure to start fails the run with the reason
 * instead of leaving it QUEUED.
 */
export async function launch(
  p: Platform,
  tenantId: string,
  runId: string,
  executionName: string,
  recorded?: string,
): Promise<void> {
  try {
    const { executionId } = await p.executions.start(RUN_MACHINE, executionName, {
      tenantId,
      runId,
    });
    if (executionId === recorded) return;
    // A recorded id the starter did not give is replaced (a jsonb array minus a string drops it).
    const kept = recorded ? sql`(${runs.executionIds} - ${recorded}::text)` : runs.executionIds;
    await p.db.withTenant({ tenantId }, async (tx) => {
      await tx
        .update(runs)
        .set({ executionIds: sql`${kept} || ${JSON.stringify([executionId])}::jsonb` })
        .where(eq(runs.id, runId));
    });
  } catch (cause) {
    p.log.error('could not start execution', { runId, error: cause });
    await p.db.withTenant({ tenantId }, async (tx) => {
      await tx
        .update(runs)
        .set({
          status: 'FAILED',
          error: { name: 'StartFailed', message: 'the workflow engine did not accept the run' },
          finishedAt: new Date(p.now()),
        })
        .where(eq(runs.id, runId));
      await appendEvent(tx, {
        tenantId,
        runId,
        type: 'run.failed',
        message: 'the workflow engine did not accept the run',
      });
    });
    throw cause;
  }
}
