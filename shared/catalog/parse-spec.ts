import type * as z from 'zod';
import { fromZod } from '../http/error-mapping';

/** A patched spec that breaks a rule is the caller's 400 (naming the field), not a 500. */
export function parseSpec<T>(schema: z.ZodType<T>, value: unknown): T {
  const out = schema.safeParse(value);
  if (!out.success) throw fromZod(out.error, 'body');
  return out.data;
}
