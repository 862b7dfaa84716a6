/** A run's executions: the state machine that runs it, started for a new run or a continuation. */
import { eq, sql } from 'drizzle-orm';
import { runs } from '../db/schema';
import type { Platform } from '../platform/platform';
import { appendEvent } from './events';

const RUN_MACHINE = 'runWorkflow';

/** Starts an execution for the run; a failure to start fails the run with the reason instead of leaving it QUEUED. */
export async function launch(
  p: Platform,
  tenantId: string,
  runId: string,
  executionName: string,
): Promise<void> {
  try {
    const { executionId } = await p.executions.start(RUN_MACHINE, executionName, {
      tenantId,
      runId,
    });
    await p.db.withTenant({ tenantId }, async (tx) => {
      await tx
        .update(runs)
        .set({ executionIds: sql`${runs.executionIds} || ${JSON.stringify([executionId])}::jsonb` })
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
