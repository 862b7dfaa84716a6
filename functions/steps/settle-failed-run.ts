/**
 * Settles a run whose execution FAILED, TIMED_OUT or was ABORTED. Two callers: the EventBridge rule
 * on the run machine's "Step Functions Execution Status Change" events (the run's ids come from the
 * execution input in `detail.input`), and the ASL's `SettleFailed` state when `Finalize` itself fails.
 */
import * as z from 'zod';
import { settleFailedRun } from '../../shared/runs/engine/settle-failed';
import { executionStatusChange } from '../../shared/tasks/execution-status-change';
import { taskHandler } from '../../shared/tasks/task-handler';

const RunIds = z.object({ tenantId: z.uuid(), runId: z.uuid() });

const StatusChangeEvent = executionStatusChange(RunIds, 'tenantId/runId').transform(
  ({ ids, ...rest }) => ({ ...ids, ...rest }),
);

/** From the ASL (`SettleFailed`): the error Finalize's Catch caught. */
const FromAsl = RunIds.extend({
  executionId: z.string(),
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
}).transform((i) => ({
  tenantId: i.tenantId,
  runId: i.runId,
  executionId: i.executionId,
  status: 'FAILED' as const,
  error: i.error?.Error,
  cause: i.error?.Cause,
}));

export const handler = taskHandler(z.union([StatusChangeEvent, FromAsl]), settleFailedRun);
