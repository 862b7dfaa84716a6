/**
 * An execution ended without settling its run: it FAILED past every Catch, TIMED_OUT or was
 * ABORTED (in AWS the EventBridge execution-status rule delivers this; locally the runtime does when
 * an execution rejects). The run becomes FAILED with the reason, unless it already settled or a
 * newer execution carries it on (a continuation after an approval or a crash).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { runSteps, runs } from '../../db/schema';
import type { Platform } from '../../platform/platform';
import { retryOnDeadlock } from '../../db/deadlock';
import { appendEvent } from '../events';
import { describeCaught } from './step-failure';
import { settleInterruptedAttempts } from './interrupted-attempts';

export type EndedStatus = 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionEnded {
  readonly tenantId: string;
  readonly runId: string;
  /** The execution ARN (its id). */
  readonly executionId: string;
  readonly status: EndedStatus;
  readonly error?: string;
  readonly cause?: string;
}

const ERROR_NAME: Record<EndedStatus, string> = {
  FAILED: 'ExecutionFailed',
  TIMED_OUT: 'ExecutionTimedOut',
  ABORTED: 'ExecutionAborted',
};

export async function settleFailedRun(
  p: Platform,
  ended: ExecutionEnded,
): Promise<{ status: string; settled: boolean }> {
  // The execution's last step may still be completing (a timeout does not stop its Lambda): its
  // transaction and this one lock the same rows, and PostgreSQL may abort this one (CI saw it).
  return retryOnDeadlock(() => settleInTx(p, ended));
}

async function settleInTx(
  p: Platform,
  ended: ExecutionEnded,
): Promise<{ status: string; settled: boolean }> {
  return p.db.withTenant({ tenantId: ended.tenantId }, async (tx) => {
    const [run] = await tx.select().from(runs).where(eq(runs.id, ended.runId)).for('update');
    if (!run) return { status: 'UNKNOWN', settled: false };
    if (!['QUEUED', 'RUNNING'].includes(run.status)) return { status: run.status, settled: false };
    const ids = (run.executionIds as string[] | null) ?? [];
    if (ids.length && ids[ids.length - 1] !== ended.executionId && ids.includes(ended.executionId))
      return { status: run.status, settled: false }; // superseded by a newer execution

    const caught = describeCaught({ Error: ended.error, Cause: ended.cause });
    const error = {
      name: ERROR_NAME[ended.status],
      message:
        `the workflow execution ${ended.status.toLowerCase().replace('_', ' ')}` +
        (ended.error ? `: ${caught.name}${caught.message ? `: ${caught.message}` : ''}` : ''),
    };
    const at = new Date(p.now());
    await settleInterruptedAttempts(tx, ended.tenantId, { runId: run.id });
    // Steps the dead execution was running can no longer finish.
    const interrupted = await tx
      .update(runSteps)
      .set({ status: 'FAILED', error, finishedAt: at })
      .where(and(eq(runSteps.runId, run.id), inArray(runSteps.status, ['RUNNING'])))
      .returning({ id: runSteps.id, nodeId: runSteps.nodeId });
    for (const step of interrupted)
      await appendEvent(tx, {
        tenantId: ended.tenantId,
        runId: run.id,
        stepId: step.id,
        nodeId: step.nodeId,
        type: 'step.failed',
        message: `${step.nodeId} failed: ${error.name}`,
        data: error,
      });
    await tx
      .update(runs)
      .set({ status: 'FAILED', error, finishedAt: at })
      .where(eq(runs.id, run.id));
    await appendEvent(tx, {
      tenantId: ended.tenantId,
      runId: run.id,
      type: 'run.failed',
      message: error.message,
      data: { executionId: ended.executionId, status: ended.status },
    });
    return { status: 'FAILED', settled: true };
  });
}
