/** `npm start`: the whole platform on 127.0.0.1, data under .data/ (or HISHAMOS_DATA_DIR). */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN_EMAIL } from './seed';
import { startLocal } from './runtime';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = resolve(process.env.HISHAMOS_DATA_DIR ?? join(root, '.data'));
const port = Number(process.env.PORT ?? 3000);
const webDir = join(root, 'web/dist');
const t0 = performance.now();
const say = (line: string) => process.stdout.write(`${line}\n`);

say('HishamOS: starting the local platform');
if (!existsSync(join(webDir, 'index.html')) && existsSync(join(root, 'web/vite.config.ts'))) {
  say('  ◦ building the console (first start only)…');
  const built = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      'web',
      '--config',
      'web/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (built.status !== 0) say('  ! console build failed; the API still starts');
}

const runtime = await startLocal({
  root,
  dataDir,
  port,
  webDir,
  persist: true,
  onProgress: (step, ms) => say(`  ✓ ${step.padEnd(22)} ${(ms / 1000).toFixed(2)} s`),
}).catch((e: Error) => {
  process.stderr.write(`\nHishamOS could not start: ${e.message}\n`);
  process.exit(1);
});

const ready = ((performance.now() - t0) / 1000).toFixed(2);
say('');
say(`  Console and API   ${runtime.url}`);
say(`  OpenAPI           ${runtime.url}/openapi.json`);
say(`  Data              ${dataDir}`);
if (runtime.seed?.created) {
  say('');
  say(
    '  Demo tenant "demo" created with agents pm, coder, reviewer, qa and workflow feature-pipeline.',
  );
  say(`  Sign in as        ${ADMIN_EMAIL}`);
  say(
    runtime.seed.password
      ? `  Password          ${runtime.seed.password}   (shown once: keep it)`
      : '  Password          from HISHAMOS_ADMIN_PASSWORD',
  );
}
say('');
say(`Ready in ${ready} s. Press Ctrl+C to stop.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) process.exit(1);
    stopping = true;
    say('\nStopping: waiting for running executions…');
    await runtime.close();
    process.exit(0);
  });
}
