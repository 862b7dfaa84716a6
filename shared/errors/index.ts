/**
 * Domain errors are names. HTTP adapters map them to status codes in one place
 * (shared/http/error-mapping.ts); Lambda tasks throw them so that ASL Retry/Catch
 * match on `ErrorEquals` by the stable `name`.
 *
 * `expose` says whether `message` may be shown to the caller. Errors that are not
 * exposed answer with a generic message so internals never leak.
 */
export interface FieldIssue {
  /** Dotted path to the offending field, e.g. `nodes[2].agent` or `body.email`. */
  path: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract override readonly name: string;
  readonly expose: boolean = true;
  readonly details?: FieldIssue[];

  constructor(message: string, options?: { cause?: unknown; details?: FieldIssue[] }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    if (options?.details) this.details = options.details;
  }
}

// --- request errors -------------------------------------------------------
export class ValidationError extends AppError {
  readonly name = 'ValidationError';
  constructor(message: string, details: FieldIssue[] = [], options?: { cause?: unknown }) {
    super(message, { ...options, details });
  }
}
export class MalformedJson extends AppError {
  readonly name = 'MalformedJson';
}
/** A YAML body (workflow and agent files) that does not parse. */
export class MalformedYaml extends AppError {
  readonly name = 'MalformedYaml';
}
export class Unauthorized extends AppError {
  readonly name = 'Unauthorized';
}
export class Forbidden extends AppError {
  readonly name = 'Forbidden';
}
export class NotFound extends AppError {
  readonly name = 'NotFound';
}
export class MethodNotAllowed extends AppError {
  readonly name = 'MethodNotAllowed';
}
export class Conflict extends AppError {
  readonly name = 'Conflict';
}
/** Something that existed and no longer may be used (an expired invitation). */
export class Gone extends AppError {
  readonly name = 'Gone';
}
/** A step's payload in S3 that is missing, altered or not the reading tenant's (ADR 105): a 500. */
export class StepPayloadUnavailable extends AppError {
  readonly name = 'StepPayloadUnavailable';
  override readonly expose = false;
}
export class PayloadTooLarge extends AppError {
  readonly name = 'PayloadTooLarge';
}
export class RateLimited extends AppError {
  readonly name = 'RateLimited';
  readonly retryAfterSeconds?: number;
  constructor(message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}
export class UnsupportedMediaType extends AppError {
  readonly name = 'UnsupportedMediaType';
}
/** An `Idempotency-Key` sent again with a different request: the first one's result is not this one's. */
export class IdempotencyKeyReused extends AppError {
  readonly name = 'IdempotencyKeyReused';
}

// --- workflow / gateway errors (also ASL error names) ---------------------
export class BudgetExceeded extends AppError {
  readonly name = 'BudgetExceeded';
}
/** 429 from a provider. `retryAfterMs` honours Retry-After / retry-after-ms. */
export class ProviderThrottled extends AppError {
  readonly name = 'ProviderThrottled';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
export class ProviderUnavailable extends AppError {
  readonly name = 'ProviderUnavailable';
}
/**
 * No key for the model's provider and the deployment does not let the simulator stand in (AWS
 * without `-c allowSimulator=true`). Permanent: retrying cannot conjure a key.
 */
export class ProviderNotConfigured extends AppError {
  readonly name = 'ProviderNotConfigured';
}
export class ProviderAuthError extends AppError {
  readonly name = 'ProviderAuthError';
}
export class ContextTooLong extends AppError {
  readonly name = 'ContextTooLong';
}
export class ContentFiltered extends AppError {
  readonly name = 'ContentFiltered';
}
export class InvalidRequest extends AppError {
  readonly name = 'InvalidRequest';
}
/** A model answer that does not match the step's output schema. */
export class OutputSchemaMismatch extends AppError {
  readonly name = 'OutputSchemaMismatch';
}
export class RunCancelled extends AppError {
  readonly name = 'RunCancelled';
}
/** A document that cannot be read (corrupt, encrypted, binary, unsupported): fails that document, never retried. */
export class ExtractionFailed extends AppError {
  readonly name = 'ExtractionFailed';
}
/** A webhook whose signed time or first receipt lies outside the provider's redelivery window. */
export class StaleDelivery extends AppError {
  readonly name = 'StaleDelivery';
}
/** A webhook delivery id seen before with a different body. */
export class ReplayedDelivery extends AppError {
  readonly name = 'ReplayedDelivery';
}

/** Anything unexpected. Never exposed: the caller sees a generic message. */
export class InternalError extends AppError {
  readonly name = 'InternalError';
  override readonly expose = false;
}

/** Error names Step Functions retries (the RunAgentStep Retry block lists exactly these plus Lambda's own). */
export const RETRYABLE_ERROR_NAMES = [
  'ProviderThrottled',
  'ProviderUnavailable',
  'OutputSchemaMismatch',
] as const;

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
