/**
 * Provider SDKs load lazily: an adapter module pulls in its own SDK and nothing else, so a step that
 * only calls Anthropic never loads `openai` or `@google/genai`. Checked twice: statically (an esbuild
 * bundle of each entry, as the Lambda bundling does) and at run time (a child Node process that
 * imports the module and lists every module URL resolved and every CommonJS file loaded).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from '@jest/globals';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SDK = {
  openai: '/node_modules/openai/',
  anthropic: '/node_modules/@anthropic-ai/sdk/',
  gemini: '/node_modules/@google/genai/',
} as const;
type Sdk = keyof typeof SDK;

const ENTRIES: Array<[string, Sdk | null]> = [
  ['shared/llm/providers/anthropic.ts', 'anthropic'],
  ['shared/llm/providers/openai.ts', 'openai'],
  ['shared/llm/providers/compatible.ts', 'openai'],
  ['shared/llm/providers/gemini.ts', 'gemini'],
  ['shared/llm/classify.ts', null],
  ['shared/llm/providers/common.ts', null],
];

function sdksIn(files: string[]): Sdk[] {
  return (Object.keys(SDK) as Sdk[]).filter((s) =>
    files.some((f) => `/${f.replace(/\\/g, '/')}`.includes(SDK[s])),
  );
}

describe('static: an esbuild bundle of each adapter holds only its own SDK', () => {
  it.each(ENTRIES)('%s', async (entry, own) => {
    const result = await build({
      entryPoints: [path.join(ROOT, entry)],
      absWorkingDir: ROOT,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      write: false,
      metafile: true,
      outdir: path.join(ROOT, '.tmp-lazy-probe'),
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile!.inputs);
    expect(sdksIn(inputs)).toEqual(own ? [own] : []);
  });
});

describe('run time: importing an adapter loads only its own SDK', () => {
  const probe = path.join(ROOT, 'test/unit/llm/fixtures/load-probe.mjs');

  it.each(ENTRIES)('%s', (entry, own) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', probe, path.join(ROOT, entry)], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (run.status !== 0) throw new Error(`probe failed (${run.status}): ${run.stderr}`);
    const report = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
      resolved: string[];
      cjs: string[];
      exports: string[];
    };
    const loaded = [
      ...report.resolved.map((u) => (u.startsWith('file:') ? fileURLToPath(u) : u)),
      ...report.cjs,
    ];
    expect(report.exports.length).toBeGreaterThan(0);
    expect(sdksIn(loaded)).toEqual(own ? [own] : []);
  });
});
