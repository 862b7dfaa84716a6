/**
 * The adapter for Step Functions Lambda tasks: parse the payload with zod, run the domain function,
 * and let named errors propagate so ASL Retry/Catch match them by `name`. Lambda reports a thrown
 * error's name as `errorType`, which Step Functions uses as the error name.
 */
import middy from '@middy/core';
import type * as z from 'zod';
import { ValidationError } from '../errors';
import { fromZod } from '../http/error-mapping';
import { withLogContext, type LogContext } from '../observability/context';
import { flushTraces, inRunSpan } from '../observability/tracing';
import { platform, type Platform } from '../platform/platform';

export function taskHandler<S extends z.ZodType, R>(
  schema: S,
  run: (p: Platform, input: z.infer<S>) => Promise<R>,
) {
  return middy<unknown, R>().handler(async (event) => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      const e = fromZod(parsed.error, 'body');
      throw new ValidationError(`invalid task input: ${e.message}`, e.details);
    }
    const p = await platform();
    const ids = idsOf(parsed.data);
    const work = async () => {
      try {
        return await run(p, parsed.data);
      } catch (error) {
        p.log.warn('task failed', { error, name: (error as Error).name });
        throw error;
      }
    };
    return withLogContext(ids, () =>
      // Run tasks join their run's trace (planning, each step attempt, settling).
      (typeof ids.runId === 'string'
        ? inRunSpan(
            ids.runId,
            run.name || 'task',
            { 'hishamos.run_id': ids.runId, 'hishamos.step_id': ids.stepId ?? '' },
            work,
          )
        : work()
      ).finally(flushTraces),
    );
  });
}

/** The tenant, run and step a task works on, for its log lines. */
function idsOf(input: unknown): LogContext {
  if (typeof input !== 'object' || input === null) return {};
  const { tenantId, runId, stepId } = input as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { tenantId: str(tenantId), runId: str(runId), stepId: str(stepId) };
}
