/**
 * Settles a batch. Two callers: the batch machine's `Finalize` state after the Distributed Map, and
 * the EventBridge rule on the machine's "Step Functions Execution Status Change" events (FAILED,
 * TIMED_OUT, ABORTED), so a batch whose Finalize itself failed, or whose execution timed out, does
 * not stay RUNNING. A cancelled batch stays cancelled.
 */
import * as z from 'zod';
import { finalizeBatch } from '../../shared/batches/items';
import { executionStatusChange } from '../../shared/tasks/execution-status-change';
import { taskHandler } from '../../shared/tasks/task-handler';

const BatchIds = z.object({ tenantId: z.uuid(), batchId: z.uuid() });

const FromAsl = BatchIds.extend({
  /** The execution's state; `error` is there when the Distributed Map's Catch led to Finalize. */
  state: z
    .object({
      error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
    })
    .passthrough(),
}).transform((e) => ({ tenantId: e.tenantId, batchId: e.batchId, error: e.state.error }));

const StatusChangeEvent = executionStatusChange(BatchIds, 'tenantId/batchId').transform(
  ({ ids, executionId, status, error, cause }) => ({
    ...ids,
    executionId,
    error: {
      Error:
        error ??
        `Execution${status === 'TIMED_OUT' ? 'TimedOut' : status === 'ABORTED' ? 'Aborted' : 'Failed'}`,
      Cause: cause ?? `the batch execution ended ${status}`,
    },
  }),
);

export const handler = taskHandler(z.union([FromAsl, StatusChangeEvent]), finalizeBatch);
