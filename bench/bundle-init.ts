/**
 * Cold start of every Lambda bundle: builds the manifest's functions (infra/build/bundle.ts), then
 * imports each bundle's `index.mjs` in a fresh Node process, as Lambda's init does, and reports
 * what a cold start loads (KiB, entry + static chunks) and how long the import takes (median of
 * `repeats` fresh processes). Goals (issue 12): ≤ 300 KiB and ≤ 150 ms each.
 *
 *   npx tsx bench/bundle-init.ts [repeats=3] [--out dir]
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleFunctions, REPO_ROOT } from '../infra/build/bundle';

const args = process.argv.slice(2);
const repeats = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
const outIdx = args.indexOf('--out');
// Inside the repository: a bundle resolves the externals Lambda provides (@aws-sdk/*) from
// node_modules, as the runtime resolves them from its own.
const outDir = outIdx >= 0 ? args[outIdx + 1] : path.join(REPO_ROOT, 'dist', 'bundle-init');
const GOAL_KIB = 300;
const GOAL_MS = 150;

// What Lambda's environment carries at init (the CDK sets the driver and names; no secrets here).
const LAMBDA_ENV = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'us-east-1',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  HISHAMOS_DB_DRIVER: 'data-api',
  LOG_LEVEL: 'silent',
};

/** One fresh process: the import's wall time, measured inside it (process start excluded). */
function importOnce(file: string): { ms?: number; error?: string } {
  const script = `const t0 = performance.now();
await import(${JSON.stringify(pathToFileURL(file).href)});
process.stdout.write(String(performance.now() - t0));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: LAMBDA_ENV,
    encoding: 'utf8',
  });
  if (r.status !== 0) return { error: (r.stderr || r.stdout).trim().split('\n')[0] };
  return { ms: Number(r.stdout) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const result = await bundleFunctions({ outDir });
console.log(
  `bundle init — ${repeats} fresh Node ${process.version} processes per bundle; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} (shared machine)`,
);
console.log('| function | cold KiB | init ms (median) | within goals |');
console.log('| --- | ---: | ---: | --- |');
const rows = Object.values(result.functions).sort((a, b) => b.bytes - a.bytes);
let over = 0;
for (const fn of rows) {
  const runs = Array.from({ length: repeats }, () => importOnce(path.join(fn.dir, 'index.mjs')));
  const failed = runs.find((r) => r.error);
  const kib = fn.bytes / 1024;
  const ms = failed ? Number.NaN : median(runs.map((r) => r.ms ?? 0));
  const ok = kib <= GOAL_KIB && ms <= GOAL_MS;
  if (!ok) over++;
  console.log(
    `| ${fn.name} | ${kib.toFixed(1)} | ${failed ? `failed: ${failed.error}` : ms.toFixed(1)} | ${ok ? 'yes' : 'no'} |`,
  );
}
console.log(`${rows.length - over} of ${rows.length} within ${GOAL_KIB} KiB and ${GOAL_MS} ms`);
