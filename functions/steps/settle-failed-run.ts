/**
 * Settles a run whose execution FAILED, TIMED_OUT or was ABORTED. Two callers: the EventBridge rule
 * on the run machine's "Step Functions Execution Status Change" events (the run's ids come from the
 * execution input in `detail.input`), and the ASL's `SettleFailed` state when `Finalize` itself fails.
 */
import * as z from 'zod';
import { settleFailedRun } from '../../shared/runs/engine/settle-failed';
import { taskHandler } from '../../shared/tasks/task-handler';

const Status = z.enum(['FAILED', 'TIMED_OUT', 'ABORTED']);
const RunIds = z.object({ tenantId: z.uuid(), runId: z.uuid() });

/** The EventBridge event (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html). */
const StatusChangeEvent = z
  .object({
    source: z.literal('aws.states'),
    'detail-type': z.literal('Step Functions Execution Status Change'),
    detail: z.object({
      executionArn: z.string(),
      status: Status,
      input: z.string().transform((text, ctx) => {
        const parsed = RunIds.safeParse(JSON.parse(text));
        if (parsed.success) return parsed.data;
        ctx.addIssue({ code: 'custom', message: 'execution input carries no tenantId/runId' });
        return z.NEVER;
      }),
      error: z.string().nullish(),
      cause: z.string().nullish(),
    }),
  })
  .transform((e) => ({
    ...e.detail.input,
    executionId: e.detail.executionArn,
    status: e.detail.status,
    error: e.detail.error ?? undefined,
    cause: e.detail.cause ?? undefined,
  }));

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
