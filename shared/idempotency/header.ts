import * as z from 'zod';
import { ValidationError } from '../errors';

const IdempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

/** The request's `Idempotency-Key`, if any; a malformed one is a 400 naming the header. */
export function idempotencyKeyOf(headers: Record<string, string | undefined>): string | undefined {
  const key = headers['idempotency-key'];
  if (key !== undefined && !IdempotencyKey.safeParse(key).success)
    throw new ValidationError('invalid Idempotency-Key header', [
      {
        path: 'headers.idempotency-key',
        message: 'printable ASCII without spaces, at most 200 characters',
      },
    ]);
  return key;
}
