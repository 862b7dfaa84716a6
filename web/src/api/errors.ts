import type { FieldIssue } from './types';

/** An error answer of the API: `{"error":{"code","message","details":[{"path","message"}]}}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: FieldIssue[];

  constructor(status: number, code: string, message: string, details: FieldIssue[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The route does not exist (yet) on this server: the feature is not available. */
  get unavailable(): boolean {
    return this.status === 404 || this.status === 501;
  }
}

export async function errorFromResponse(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const error = (
    body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined
  )?.error;
  const code = typeof error?.code === 'string' ? error.code : `Http${res.status}`;
  const message =
    typeof error?.message === 'string'
      ? error.message
      : res.statusText || `request failed with ${res.status}`;
  const details = Array.isArray(error?.details)
    ? error.details.filter(
        (d): d is FieldIssue => typeof d?.path === 'string' && typeof d?.message === 'string',
      )
    : [];
  return new ApiError(res.status, code, message, details);
}

/** A message fit for a banner, whatever was thrown. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
