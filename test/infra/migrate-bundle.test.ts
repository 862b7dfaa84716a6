/**
 * The BUILT migrate bundle, run the way the deploy trigger runs it: a separate Node process imports
 * `<bundle>/index.mjs` and calls `handler()` with the environment of the Lambda (a real PostgreSQL
 * server stands in for Aurora). Before the fix the bundle looked for its SQL one directory too deep.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { bundleFunctions, REPO_ROOT } from '../../infra/build/bundle';
import { freshServerDatabase } from '../support/databases';

const run = promisify(execFile);
let root: string;
let database: { url: string; drop: () => Promise<void> };
let entry: string;

beforeAll(async () => {
  // A throwaway directory outside the repository (so no source-tree fallback can be found), with the
  // repository's node_modules for the externals Lambda provides (@aws-sdk).
  root = mkdtempSync(path.join(os.tmpdir(), 'hishamos-migrate-'));
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const result = await bundleFunctions({ outDir: path.join(root, 'dist'), only: ['migrate'] });
  entry = path.join(result.functions.migrate!.dir, 'index.mjs');
  database = await freshServerDatabase('hishamos_migrate');
}, 120_000);

afterAll(async () => {
  await database?.drop();
  rmSync(root, { recursive: true, force: true });
});

async function invokeBundle(): Promise<{ applied: string[] }> {
  const script = `const m = await import(${JSON.stringify(pathToFileURL(entry).href)}); process.stdout.write(JSON.stringify(await m.handler({}, {})));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HISHAMOS_DB_DRIVER: 'pg',
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      AWS_REGION: 'us-east-1',
    },
  });
  return JSON.parse(stdout);
}

describe('the built migrate bundle', () => {
  it('finds its SQL and applies every committed migration, once', async () => {
    // Prepare
    const committed = readdirSync(path.join(REPO_ROOT, 'shared', 'db', 'migrations'))
      .filter((f) => f.endsWith('.sql'))
      .sort();
    // Act
    const first = await invokeBundle();
    const second = await invokeBundle();
    // Assess
    expect(first.applied).toEqual(committed);
    expect(second.applied).toEqual([]);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query(
      "select count(*)::int as n from information_schema.tables where table_name in ('tenants', 'runs', 'usage_records')",
    );
    await client.end();
    expect(rows[0].n).toBe(3);
  }, 120_000);
});
