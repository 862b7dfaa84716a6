import * as z from 'zod';
import { AppError, InternalError, ValidationError, type FieldIssue } from '../errors';

/** The one place error names become HTTP statuses. Unknown names are 500 with a generic message. */
const STATUS: Record<string, number> = {
  ValidationError: 400,
  MalformedJson: 400,
  MalformedYaml: 400,
  Unauthorized: 401,
  BudgetExceeded: 402,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  Conflict: 409,
  Gone: 410,
  StaleDelivery: 400,
  ReplayedDelivery: 409,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  ExtractionFailed: 422,
  IdempotencyKeyReused: 422,
  RateLimited: 429,
  ProviderThrottled: 503,
  ProviderUnavailable: 502,
  ProviderAuthError: 502,
  InternalError: 500,
};

export interface ErrorResponse {
  status: number;
  body: { error: { code: string; message: string; details?: FieldIssue[] } };
  headers?: Record<string, string>;
}

export function statusFor(name: string): number {
  return STATUS[name] ?? 500;
}

export function toErrorResponse(error: unknown): ErrorResponse {
  const known =
    error instanceof AppError
      ? error
      : error instanceof z.ZodError
        ? fromZod(error, 'body')
        : new InternalError('internal error', { cause: error });
  const status = statusFor(known.name);
  const message = known.expose ? known.message : 'internal error';
  const retryAfter = (known as { retryAfterSeconds?: number }).retryAfterSeconds;
  return {
    status,
    body: {
      error: {
        code: known.name,
        message,
        ...(known.details?.length ? { details: known.details } : {}),
      },
    },
    ...(retryAfter ? { headers: { 'retry-after': String(retryAfter) } } : {}),
  };
}

/** `['nodes', 2, 'agent']` → `nodes[2].agent`; `where` prefixes query and path parameters. */
export function formatPath(path: PropertyKey[], where?: 'query' | 'path'): string {
  let out = where ?? '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || (where ?? 'body');
}

export function fromZod(error: z.ZodError, where: 'body' | 'query' | 'path'): ValidationError {
  const prefix = where === 'body' ? undefined : where;
  // An unknown field is named by its own path, one detail per field.
  const details = error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: formatPath([...issue.path, key], prefix),
          message: 'unknown field',
        }))
      : [{ path: formatPath(issue.path, prefix), message: issue.message }],
  );
  const first = details[0];
  const label = where === 'body' ? 'request body' : where === 'query' ? 'query string' : 'path';
  return new ValidationError(
    first ? `invalid ${label}: ${first.path}: ${first.message}` : `invalid ${label}`,
    details,
  );
}
