/**
 * Builds every function once for the infra project (infra/build/bundle.ts, one esbuild build per
 * function): the synth tests and the cold-size test read this build (test/infra/prebuilt.ts)
 * instead of each building all of them again, which was most of the project's time (ADR 180).
 * A broken handler still fails the project, as it fails `cdk synth`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export default function buildOnce() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hishamos-infra-functions-'));
  const result = path.join(dir, 'bundle-result.json');
  const args = ['infra/build/bundle.ts', '--out', path.join(dir, 'functions'), '--result', result];
  if (process.env.HISHAMOS_INFRA_ALLOW_MISSING === '1') args.push('--allow-missing');
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), args, {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // Test workers start after this and inherit the environment.
  process.env.HISHAMOS_INFRA_BUNDLE = result;
}
