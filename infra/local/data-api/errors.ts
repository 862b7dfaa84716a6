/** The Data API's errors as the SDK sees them, and how PostgreSQL's errors become them. */
/** A Data API error: its `type` is the SDK's exception name. */
export class DataApiError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string) =>
  new DataApiError('BadRequestException', 400, message);
export const databaseError = (message: string) =>
  new DataApiError('DatabaseErrorException', 400, message);

export function timeoutError(pid: number) {
  return new DataApiError('StatementTimeoutException', 400, 'Request timed out', {
    dbConnectionId: pid,
  });
}

/** pgjdbc's message shape, which the Data API passes on: `ERROR: … ; SQLState: 23505`. */
export function asDatabaseError(e: unknown): unknown {
  if (e instanceof DataApiError) return e;
  const pgError = e as {
    message?: string;
    code?: string;
    detail?: string;
    hint?: string;
    position?: string;
  };
  if (pgError && typeof pgError.code === 'string') {
    const lines = [`ERROR: ${pgError.message}`];
    if (pgError.detail) lines.push(`  Detail: ${pgError.detail}`);
    if (pgError.hint) lines.push(`  Hint: ${pgError.hint}`);
    if (pgError.position) lines.push(`  Position: ${pgError.position}`);
    return databaseError(`${lines.join('\n')}; SQLState: ${pgError.code}`);
  }
  return e;
}

export function asDataApiError(e: unknown): DataApiError {
  if (e instanceof DataApiError) return e;
  if (e instanceof SyntaxError) return badRequest(`Malformed request body: ${e.message}`);
  const converted = asDatabaseError(e);
  if (converted instanceof DataApiError) return converted;
  return new DataApiError('InternalServerErrorException', 500, 'Internal error');
}
