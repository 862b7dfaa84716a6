/**
 * Bundle size of the runAgentStep function with and without lazy provider loading (esbuild metafile,
 * the options of infra/build/bundle.ts: ESM, node22, minified, AWS SDK external).
 *
 *   deployed      splitting off (as infra/build/bundle.ts ships it): one index.mjs; dynamic imports
 *                 are inlined but each adapter and its SDK is only EVALUATED when first used
 *   lazy, split   splitting on: the entry chunk, plus the chunks an OpenAI-only / Anthropic-only /
 *                 Gemini-only step actually loads
 *   eager, split  the same entry with every adapter imported statically (no lazy loading)
 * Cold start: time for a fresh Node process to import the deployed bundle, and to import the split
 * entry (which loads no provider SDK until a call needs one).
 *
 *   npx tsx bench/gateway-bundle.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { BUNDLE_EXTERNALS, REPO_ROOT } from '../infra/build/bundle';

const ENTRY = path.join(REPO_ROOT, 'functions/steps/run-agent-step.ts');
const BANNER =
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

async function bundle(entry: string, splitting: boolean, outdir: string) {
  const result = await build({
    entryPoints: { index: entry },
    absWorkingDir: REPO_ROOT,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    minify: true,
    metafile: true,
    write: true,
    external: [...BUNDLE_EXTERNALS],
    banner: { js: BANNER },
    logLevel: 'silent',
  });
  return result.metafile!;
}

const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;

/** Bytes of the output files reachable from `start` through static imports (what Node loads eagerly). */
function staticClosure(meta: Metafile, start: string): Set<string> {
  const seen = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f) || !meta.outputs[f]) return;
    seen.add(f);
    for (const imp of meta.outputs[f].imports)
      if (imp.kind === 'import-statement' && !imp.external) visit(imp.path);
  };
  visit(start);
  return seen;
}
const bytes = (meta: Metafile, files: Iterable<string>) =>
  [...files].reduce((s, f) => s + meta.outputs[f].bytes, 0);

/** The chunks loaded when a step calls `provider`: the entry's closure plus that adapter's dynamic-import closure. */
function providerLoad(meta: Metafile, entryOut: string, adapterSource: string): number {
  const files = staticClosure(meta, entryOut);
  const adapterChunk = Object.entries(meta.outputs).find(
    ([, o]) =>
      o.entryPoint === adapterSource ||
      Object.keys(o.inputs).some((i) => i.endsWith(adapterSource)),
  )?.[0];
  if (adapterChunk) for (const f of staticClosure(meta, adapterChunk)) files.add(f);
  return bytes(meta, files);
}

function coldImportMs(file: string, repeats = 5): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        `const t=performance.now();import(${JSON.stringify(`file://${file}`)}).then(()=>console.log(performance.now()-t))`,
      ],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    times.push(Number(out.trim()));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function main() {
  mkdirSync(path.join(REPO_ROOT, 'dist'), { recursive: true });
  const dir = mkdtempSync(path.join(REPO_ROOT, 'dist', 'gw-bundle-')); // inside the repo: externals resolve from node_modules
  try {
    await bundle(ENTRY, false, path.join(dir, 'deployed')); // read back from disk below
    const lazy = await bundle(ENTRY, true, path.join(dir, 'lazy'));
    const eagerEntry = path.join(REPO_ROOT, 'bench', '.eager-entry.ts');
    writeFileSync(
      eagerEntry,
      [
        "export { handler } from '../functions/steps/run-agent-step';",
        "export * as eagerOpenai from '../shared/llm/providers/openai';",
        "export * as eagerAnthropic from '../shared/llm/providers/anthropic';",
        "export * as eagerGemini from '../shared/llm/providers/gemini';",
        "export * as eagerCompatible from '../shared/llm/providers/compatible';",
      ].join('\n'),
    );
    let eager: Metafile;
    try {
      eager = await bundle(eagerEntry, true, path.join(dir, 'eager'));
    } finally {
      rmSync(eagerEntry, { force: true });
    }
    const rel = (d: string) => path.relative(REPO_ROOT, path.join(dir, d, 'index.mjs'));
    const deployedFile = path.join(dir, 'deployed', 'index.mjs');
    const lazyEntry = Object.keys(lazy.outputs).find((f) => f.endsWith('lazy/index.mjs'))!;
    const eagerOut = Object.keys(eager.outputs).find((f) => f.endsWith('eager/index.mjs'))!;
    console.log('| runAgentStep bundle | bytes loaded at cold start | notes |');
    console.log('| --- | --- | --- |');
    console.log(
      `| deployed (splitting off, one file) | ${kib(statSync(deployedFile).size)} | all SDKs in the file; each evaluated only on first use |`,
    );
    console.log(
      `| lazy, split: entry only | ${kib(bytes(lazy, staticClosure(lazy, lazyEntry)))} | no provider SDK |`,
    );
    for (const [name, src] of [
      ['openai', 'shared/llm/providers/openai.ts'],
      ['anthropic', 'shared/llm/providers/anthropic.ts'],
      ['gemini', 'shared/llm/providers/gemini.ts'],
    ] as const) {
      console.log(
        `| lazy, split: an ${name}-only step | ${kib(providerLoad(lazy, lazyEntry, src))} | entry + the ${name} chunk(s) |`,
      );
    }
    console.log(
      `| eager, split (every adapter imported statically) | ${kib(bytes(eager, staticClosure(eager, eagerOut)))} | every SDK loaded at cold start |`,
    );
    console.log(
      `\ncold import (median of 5 fresh processes): deployed ${coldImportMs(deployedFile).toFixed(0)} ms, lazy split entry ${coldImportMs(path.join(dir, 'lazy', 'index.mjs')).toFixed(0)} ms, eager split entry ${coldImportMs(path.join(dir, 'eager', 'index.mjs')).toFixed(0)} ms`,
    );
    void rel;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
