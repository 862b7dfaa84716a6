/**
 * The adapter for Step Functions Lambda tasks: parse the payload with zod, run the domain function,
 * and let named errors propagate so ASL Retry/Catch match them by `name`. Lambda reports a thrown
 * error's name as `errorType`, which Step Functions uses as the error name.
 */
import middy from '@middy/core';
import type { z } from 'zod';
import { ValidationError } from '../errors';
import { fromZod } from '../http/error-mapping';
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
    try {
      return await run(p, parsed.data);
    } catch (error) {
      p.log.warn('task failed', { error, name: (error as Error).name });
      throw error;
    }
  });
}
