/** Statement execution as the Data API bounds it: a call times out, and the statement is cancelled unless asked to go on. */
import pg from 'pg';
import { timeoutError } from './errors';

/** Raw text for every column: the encoder decides the Data API shape from the type OID. */
const RAW_TYPES = { getTypeParser: () => (value: string) => value };

/** Runs one statement on a connection under the call timeout. */
export async function runStatement(
  client: pg.PoolClient,
  text: string,
  values: unknown[],
  timeout: { ms: number; continueAfterTimeout: boolean; databaseUrl: string },
): Promise<pg.QueryArrayResult> {
  const { continueAfterTimeout } = timeout;
  let timedOut = false;
  const pid = (client as unknown as { processID: number }).processID;
  const timer = setTimeout(() => {
    timedOut = true;
    if (!continueAfterTimeout) void cancelBackend(timeout.databaseUrl, pid).catch(() => undefined);
  }, timeout.ms);
  const query = client.query({ text, values, rowMode: 'array', types: RAW_TYPES });
  try {
    if (continueAfterTimeout) {
      // The statement goes on; the call answers at the timeout like Aurora's does.
      const answerAt = new Promise<never>((_, reject) =>
        setTimeout(() => reject(timeoutError(pid)), timeout.ms).unref(),
      );
      query.catch(() => undefined);
      return await Promise.race([query, answerAt]);
    }
    return await query;
  } catch (e) {
    if (timedOut) throw timeoutError(pid);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

async function cancelBackend(url: string, pid: number) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('select pg_cancel_backend($1)', [pid]);
  } finally {
    await c.end();
  }
}
