import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Drizzle } from './client';
import { rowsOf } from './client';

export const STATEMENT_BREAKPOINT = '--> statement-breakpoint';

/**
 * Applies the committed SQL migrations in name order, each in its own transaction, once.
 * Returns the names applied by this call (empty on a second start).
 */
export async function migrate(db: Drizzle, dir: string): Promise<string[]> {
  await db.execute(
    sql.raw(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    ),
  );
  const done = new Set(
    rowsOf<{ name: string }>(await db.execute(sql`select name from schema_migrations`)).map(
      (r) => r.name,
    ),
  );
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const applied: string[] = [];
  for (const file of files) {
    if (done.has(file)) continue;
    const statements = splitStatements(await readFile(join(dir, file), 'utf8'));
    await db.transaction(async (tx) => {
      // Serialises concurrent deploys/starts: the second waits, then sees the migration recorded.
      await tx.execute(sql`select pg_advisory_xact_lock(7263541)`);
      const again = rowsOf(
        await tx.execute(sql`select 1 from schema_migrations where name = ${file}`),
      );
      if (again.length) return;
      for (const statement of statements) await tx.execute(sql.raw(statement));
      await tx.execute(sql`insert into schema_migrations (name) values (${file})`);
      applied.push(file);
    });
  }
  return applied;
}

export function splitStatements(text: string): string[] {
  return text
    .split(STATEMENT_BREAKPOINT)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--.*$/gm, '').trim().length > 0);
}
