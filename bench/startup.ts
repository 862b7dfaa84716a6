/**
 * Time from `npm start` to ready: first start (migrations, seed, console build skipped if built)
 * and second start (reuses .data). Runs the real command in a child process on a fresh data dir.
 *   npx tsx bench/startup.ts [repeats=3]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repeats = Number(process.argv[2] ?? 3);

function startOnce(dataDir: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
      env: {
        ...process.env,
        HISHAMOS_DATA_DIR: dataDir,
        PORT: String(port),
        HISHAMOS_ADMIN_PASSWORD: 'bench-password-123',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ready line:\n${out}`));
    }, 120_000);
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('Ready in')) {
        const ms = performance.now() - t0;
        clearTimeout(timer);
        child.once('exit', () => resolve(ms));
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d) => (out += d));
  });
}

const first: number[] = [];
const second: number[] = [];
for (let i = 0; i < repeats; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'hishamos-bench-start-'));
  first.push(await startOnce(dir, 3400 + i));
  second.push(await startOnce(dir, 3500 + i));
  rmSync(dir, { recursive: true, force: true });
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`npm start → ready (process spawn to "Ready" line), ${repeats} repeats`);
console.log(
  `  first start  (empty data dir)  median ${(med(first) / 1000).toFixed(2)} s  [${first.map((x) => (x / 1000).toFixed(2)).join(', ')}]`,
);
console.log(
  `  second start (reuses .data)    median ${(med(second) / 1000).toFixed(2)} s  [${second.map((x) => (x / 1000).toFixed(2)).join(', ')}]`,
);
console.log(`  ratio second/first             ${(med(second) / med(first)).toFixed(2)}`);
