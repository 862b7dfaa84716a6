/**
 * A fresh, empty database on the PostgreSQL server at DATABASE_URL (CI and these machines run one on
 * 127.0.0.1:5432), for tests that run code which can only reach a server (built Lambda bundles).
 */
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../../shared/db/client';
import { migrate } from '../../shared/db/migrate';
import { freshDatabase } from './fresh-database';

const MIGRATIONS = fileURLToPath(new URL('../../shared/db/migrations', import.meta.url));

export const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, empty database on the server at DATABASE_URL, dropped by `drop`. */
export const freshServerDatabase = (
  prefix = 'hishamos_t',
): Promise<{ url: string; drop: () => Promise<void> }> => freshDatabase(SERVER_URL, prefix);

/**
 * A fresh database on the server with every migration applied, opened with the `pg` driver.
 * `close` ends the pool and drops the database.
 */
export async function migratedServerDatabase(
  prefix: string,
  options: { readonly max?: number } = {},
): Promise<{ url: string; db: Database; close: () => Promise<void> }> {
  const database = await freshServerDatabase(prefix);
  const db = await openDatabase({ driver: 'pg', url: database.url, ...options });
  await migrate(db.owner, MIGRATIONS);
  return {
    url: database.url,
    db,
    async close() {
      await db.close();
      await database.drop();
    },
  };
}
