/**
 * Settles a batch. Two callers: the batch machine's `Finalize` state after the Distributed Map, and
 * the EventBridge rule on the machine's "Step Functions Execution Status Change" events (FAILED,
 * TIMED_OUT, ABORTED), so a batch whose Finalize itself failed, or whose execution timed out, does
 * not stay RUNNING. A cancelled batch stays cancelled.
 */
import * as z from 'zod';
import { finalizeBatch } from '../../shared/batches/items';
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

/** The EventBridge event (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html). */
const StatusChangeEvent = z
  .object({
    source: z.literal('aws.states'),
    'detail-type': z.literal('Step Functions Execution Status Change'),
    detail: z.object({
      executionArn: z.string(),
      status: z.enum(['FAILED', 'TIMED_OUT', 'ABORTED']),
      input: z.string().transform((text, ctx) => {
        const parsed = BatchIds.safeParse(JSON.parse(text));
        if (parsed.success) return parsed.data;
        ctx.addIssue({ code: 'custom', message: 'execution input carries no tenantId/batchId' });
        return z.NEVER;
      }),
      error: z.string().nullish(),
      cause: z.string().nullish(),
    }),
  })
  .transform((e) => ({
    ...e.detail.input,
    executionId: e.detail.executionArn,
    error: {
      Error:
        e.detail.error ??
        `Execution${e.detail.status === 'TIMED_OUT' ? 'TimedOut' : e.detail.status === 'ABORTED' ? 'Aborted' : 'Failed'}`,
      Cause: e.detail.cause ?? `the batch execution ended ${e.detail.status}`,
    },
  }));

export const handler = taskHandler(z.union([FromAsl, StatusChangeEvent]), finalizeBatch);
