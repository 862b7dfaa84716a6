/** Readiness: the process can serve requests only when the database answers. */
import { sql } from 'drizzle-orm';
import type { Platform } from '../platform/platform';

export interface Readiness {
  status: 'ready' | 'unavailable';
  checks: { database: { status: 'ok' | 'failed'; latencyMs: number; error?: string } };
}

const TIMEOUT_MS = 3_000;

export async function checkReadiness(p: Platform): Promise<Readiness> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      p.db.withoutTenant((tx) => tx.execute(sql`select 1`)),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)),
          TIMEOUT_MS,
        );
      }),
    ]);
    return {
      status: 'ready',
      checks: { database: { status: 'ok', latencyMs: Math.round(performance.now() - started) } },
    };
  } catch (error) {
    p.log.warn('readiness check failed', { error });
    return {
      status: 'unavailable',
      checks: {
        database: {
          status: 'failed',
          latencyMs: Math.round(performance.now() - started),
          // The error class only: driver messages can name hosts and users.
          error: (error as Error).name,
        },
      },
    };
  } finally {
    clearTimeout(timer);
  }
}
