import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from '../../shared/db/migrate';
import { platform } from '../../shared/platform/platform';

/** Invoked by the deploy (CDK Trigger): the bundler copies the SQL files next to this bundle. */
export const handler = async () => {
  const p = await platform();
  const applied = await migrate(
    p.db.owner,
    join(dirname(fileURLToPath(import.meta.url)), 'migrations'),
  );
  p.log.info('migrations applied', { applied });
  return { applied };
};
