/**
 * PostgreSQL breaks a lock cycle by aborting one of the transactions in it (SQLSTATE 40P01,
 * "deadlock detected"); the other goes on. The aborted one is safe to run again from the start.
 */
import { carriesSqlState } from './sql-state';

/** Whether `error`, or an error it wraps, is a deadlock abort. */
export function isDeadlock(error: unknown): boolean {
  return carriesSqlState(error, '40P01', /deadlock detected/i);
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
