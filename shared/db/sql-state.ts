/**
 * Whether `error`, or an error it wraps (drizzle wraps the driver's), carries PostgreSQL's
 * SQLSTATE `code`: node-postgres and PGlite give the code, the Data API only the server's message,
 * which `message` matches.
 */
export function carriesSqlState(error: unknown, code: string, message: RegExp): boolean {
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    const {
      code: carried,
      message: text,
      cause,
    } = e as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    if (carried === code || (typeof text === 'string' && message.test(text))) return true;
    e = cause;
  }
  return false;
}
