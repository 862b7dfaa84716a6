/**
 * PostgreSQL breaks a lock cycle by aborting one of the transactions in it (SQLSTATE 40P01,
 * "deadlock detected"); the other goes on. The aborted one is safe to run again from the start.
 */

const DEADLOCK = /deadlock detected/i;

/** Whether `error`, or an error it wraps (drizzle wraps the driver's), is a deadlock abort. */
export function isDeadlock(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    // node-postgres and PGlite carry the SQLSTATE; the Data API only the server's message.
    if (code === '40P01' || (typeof message === 'string' && DEADLOCK.test(message))) return true;
    e = cause;
  }
  return false;
}

/** Runs `transaction` again when PostgreSQL chose it as a deadlock's victim, up to `attempts`. */
export async function retryOnDeadlock<T>(transaction: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= attempts || !isDeadlock(error)) throw error;
    }
  }
}
