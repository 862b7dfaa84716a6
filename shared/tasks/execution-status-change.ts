/**
 * The EventBridge event Step Functions sends when an execution ends FAILED, TIMED_OUT or ABORTED
 * (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html), parsed down to the ids
 * its execution input carries (`ids`), the execution and the reason.
 */
import * as z from 'zod';

export const FailedExecutionStatus = z.enum(['FAILED', 'TIMED_OUT', 'ABORTED']);

export function executionStatusChange<Ids extends z.ZodObject>(ids: Ids, what: string) {
  return z
    .object({
      source: z.literal('aws.states'),
      'detail-type': z.literal('Step Functions Execution Status Change'),
      detail: z.object({
        executionArn: z.string(),
        status: FailedExecutionStatus,
        input: z.string().transform((text, ctx) => {
          const parsed = ids.safeParse(JSON.parse(text));
          if (parsed.success) return parsed.data as z.output<Ids>;
          ctx.addIssue({ code: 'custom', message: `execution input carries no ${what}` });
          return z.NEVER;
        }),
        error: z.string().nullish(),
        cause: z.string().nullish(),
      }),
    })
    .transform((e) => ({
      ids: e.detail.input,
      executionId: e.detail.executionArn,
      status: e.detail.status,
      error: e.detail.error ?? undefined,
      cause: e.detail.cause ?? undefined,
    }));
}
