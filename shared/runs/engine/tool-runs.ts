/**
 * The agent step's cheap check while a `workflow:<slug>` tool call's child run goes on (ADR 162):
 * kept apart from workflow-tool.ts so the agent task's cold start loads no more than this.
 */
import { and, eq, notInArray } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { runs } from '../../db/schema';
import { TERMINAL_RUN_STATUSES } from '../run-status';

/**
 * Whether the step still waits on a tool call's child run, and the children left QUEUED without
 * an execution (the task died between creating and starting one): the caller starts them again
 * after its transaction (launchChild; an execution is named by its run id, so that is idempotent).
 */
export async function toolRunsInFlight(
  tx: Tx,
  stepId: string,
): Promise<{ waiting: boolean; unstarted: string[] }> {
  const open = await tx
    .select({ id: runs.id, status: runs.status, executionIds: runs.executionIds })
    .from(runs)
    .where(and(eq(runs.parentStepId, stepId), notInArray(runs.status, [...TERMINAL_RUN_STATUSES])));
  return {
    waiting: open.length > 0,
    unstarted: open
      .filter((r) => r.status === 'QUEUED' && (r.executionIds as string[]).length === 0)
      .map((r) => r.id),
  };
}
