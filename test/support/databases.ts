/**
 * A fresh, empty database on the PostgreSQL server at DATABASE_URL (CI and these machines run one on
 * 127.0.0.1:5432), for tests that run code which can only reach a server (built Lambda bundles).
 */
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase, type Database } from '../../shared/db/client';
import { migrate } from '../../shared/db/migrate';

const MIGRATIONS = fileURLToPath(new URL('../../shared/db/migrations', import.meta.url));

export const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function freshServerDatabase(
  prefix = 'hishamos_t',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: SERVER_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

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
