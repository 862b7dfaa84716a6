import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from '../../shared/db/migrate';
import { platform } from '../../shared/platform/platform';

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * Where the SQL lives: beside this module in the bundle (infra/build/bundle.ts RUNTIME_FILES copies
 * it there), or the committed folder when run from source. Missing SQL is a deploy error, named.
 */
export function migrationsDir(here: string = HERE): string {
  const candidates = [
    join(here, 'migrations'),
    join(here, '..', '..', 'shared', 'db', 'migrations'),
  ];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`migrations not found: looked in ${candidates.join(', ')}`);
  return found;
}

/** Invoked by the deploy (CDK Trigger). */
export const handler = async () => {
  const p = await platform();
  const applied = await migrate(p.db.owner, migrationsDir());
  p.log.info('migrations applied', { applied });
  return { applied };
};
