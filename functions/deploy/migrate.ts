import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { provisionAppLogin } from '../../shared/db/app-login';
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

/**
 * Invoked by the deploy (CDK Trigger), with the owner secret: applies the migrations, then gives the
 * application's own user (which every other function connects as) its login from the app secret.
 */
export const handler = async () => {
  const p = await platform();
  const applied = await migrate(p.db.owner, migrationsDir());
  p.log.info('migrations applied', { applied });
  const appSecretId = p.config.DB_APP_SECRET_ARN;
  if (appSecretId) {
    const secret = await p.secrets.get(appSecretId);
    if (!secret) throw new Error('the app database secret has no value');
    await provisionAppLogin(p.db.owner, secret);
    p.log.info('app database login provisioned');
  }
  return { applied, appLogin: Boolean(appSecretId) };
};
