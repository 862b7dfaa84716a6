/**
 * A migrated PGlite cluster as a `dumpDataDir` tarball, built once per set of migrations and kept
 * in the OS temp directory. A test stack that starts from it skips initdb and the migrations
 * (~2.3 s of the ~4 s a stack took to start, once per test file).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { drizzle } from 'drizzle-orm/pglite';
import type { Drizzle } from '../../shared/db/client';
import { migrate } from '../../shared/db/migrate';

export async function migratedPgliteDump(root: string): Promise<Blob> {
  const migrations = join(root, 'shared/db/migrations');
  const path = join(tmpdir(), `hishamos-pglite-${await keyOf(root, migrations)}.tar`);
  try {
    return new Blob([await readFile(path)]);
  } catch {
    const client = await PGlite.create({ extensions: { vector } });
    await migrate(drizzle({ client }) as unknown as Drizzle, migrations);
    const dump = await client.dumpDataDir('none');
    await client.close();
    // Written aside and renamed: a Jest worker starting meanwhile never reads half a file.
    const partial = `${path}.${process.pid}`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, path);
    return dump;
  }
}

/** The migrations' names and contents, and the PGlite and pgvector packages that wrote the cluster. */
async function keyOf(root: string, migrations: string): Promise<string> {
  const hash = createHash('sha256');
  for (const pkg of ['pglite', 'pglite-pgvector'])
    hash.update(await readFile(join(root, `node_modules/@electric-sql/${pkg}/package.json`)));
  for (const file of (await readdir(migrations)).sort())
    hash.update(file).update(await readFile(join(migrations, file)));
  return hash.digest('hex').slice(0, 16);
}
