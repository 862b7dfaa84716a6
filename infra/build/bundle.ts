/**
 * Bundles every manifest function with esbuild, in ONE build call (shared work, one process), into
 * `dist/functions/<name>/index.mjs`: the directory the CDK app (infra/aws) ships as each Lambda's code.
 *
 * Library: `await bundleFunctions({ allowMissing })` (async) or `bundleFunctionsSync(...)` (the CDK
 * app is built synchronously). CLI: `npx tsx infra/build/bundle.ts [--allow-missing] [--out dir]`
 * prints a size table.
 */
import { build, buildSync, type BuildOptions, type BuildResult } from 'esbuild';
import { cpSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { functions, type FunctionName, type FunctionSpec } from '../manifest';

/** The repository root (two levels above this file). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where bundles go unless told otherwise. */
export const DEFAULT_OUT_DIR = path.join(REPO_ROOT, 'dist', 'functions');

/**
 * Files a function reads at runtime (not through imports), copied beside its bundle when they exist.
 * The migrate function applies the committed SQL migrations; copying them into its asset also makes
 * its code hash change whenever a migration is added, which is what re-runs the deploy trigger.
 */
export const RUNTIME_FILES: Partial<Record<FunctionName, ReadonlyArray<{ readonly from: string; readonly to: string }>>> = {
  migrate: [{ from: 'shared/db/migrations', to: 'migrations' }],
};

export interface BundleOptions {
  /** @default `<repo>/dist/functions` */
  readonly outDir?: string;
  /**
   * Skip functions whose entry file does not exist yet and write a stub `index.mjs` whose handler
   * throws, so that a CDK synth can still run. For tests while handlers are being written; a real
   * deploy must never use it.
   * @default false
   */
  readonly allowMissing?: boolean;
  /** Restrict to these functions. @default every function in the manifest */
  readonly only?: readonly FunctionName[];
  /** @default true */
  readonly minify?: boolean;
  /** Remove `outDir` before building. @default true */
  readonly clean?: boolean;
  /** @default the repository root */
  readonly root?: string;
}

export interface FunctionBundle {
  readonly name: FunctionName;
  /** Directory holding `index.mjs` (the Lambda code asset). */
  readonly dir: string;
  /** Size of `index.mjs` in bytes (0 for a stub). */
  readonly bytes: number;
  /** Size of the external source map in bytes. */
  readonly mapBytes: number;
  /** True when the entry was missing and a stub was written (allowMissing). */
  readonly stub: boolean;
}

export interface BundleResult {
  readonly outDir: string;
  readonly functions: Readonly<Record<string, FunctionBundle>>;
  readonly missing: readonly FunctionName[];
  readonly ms: number;
}

/**
 * Not bundled:
 * - `@aws-sdk/*`: Lambda's nodejs22.x runtime provides AWS SDK v3.
 * - `@electric-sql/pglite*`: the embedded Postgres for local runs (~0.5 MB minified per function);
 *   shared/db/client.ts imports it dynamically and only for HISHAMOS_DB_DRIVER=pglite, while the CDK
 *   sets `data-api` on every Lambda, so it is never loaded there.
 * - `pg-native`: optional native binding that `pg` tries inside a try/catch.
 */
export const BUNDLE_EXTERNALS: readonly string[] = ['@aws-sdk/*', '@electric-sql/pglite', '@electric-sql/pglite/*', '@electric-sql/pglite-pgvector', 'pg-native'];

export class MissingEntryError extends Error {
  override readonly name = 'MissingEntryError';
}

/** `import { createRequire } ...` so that CommonJS dependencies calling `require` work inside ESM. */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

const STUB_SOURCE = (name: string, entry: string): string =>
  `// STUB written by infra/build/bundle.ts (allowMissing): ${entry} did not exist at build time.\n` +
  `export const handler = async () => { throw new Error(${JSON.stringify(`function ${name} was not bundled: ${entry} is missing`)}); };\n`;

interface Plan {
  readonly root: string;
  readonly outDir: string;
  readonly present: Array<[FunctionName, FunctionSpec]>;
  readonly missing: Array<[FunctionName, FunctionSpec]>;
  readonly esbuild: BuildOptions & { write: true };
}

function plan(opts: BundleOptions): Plan {
  const root = opts.root ?? REPO_ROOT;
  const outDir = path.resolve(opts.outDir ?? DEFAULT_OUT_DIR);
  const all = Object.entries(functions) as Array<[FunctionName, FunctionSpec]>;
  const selected = opts.only ? all.filter(([n]) => opts.only!.includes(n)) : all;
  const present = selected.filter(([, f]) => existsSync(path.join(root, f.entry)));
  const missing = selected.filter(([, f]) => !existsSync(path.join(root, f.entry)));
  if (missing.length > 0 && !opts.allowMissing) {
    const list = missing.map(([n, f]) => `${n} (${f.entry})`).join(', ');
    throw new MissingEntryError(`cannot bundle: entry file missing for ${list}. Pass allowMissing (--allow-missing) to stub them.`);
  }
  return {
    root,
    outDir,
    present,
    missing,
    esbuild: {
      absWorkingDir: root,
      // `<name>/index` → dist/functions/<name>/index.mjs
      entryPoints: Object.fromEntries(present.map(([n, f]) => [`${n}/index`, path.join(root, f.entry)])),
      outdir: outDir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      minify: opts.minify ?? true,
      sourcemap: 'external',
      external: [...BUNDLE_EXTERNALS],
      mainFields: ['module', 'main'],
      conditions: ['import', 'module', 'node'],
      banner: { js: ESM_REQUIRE_BANNER },
      loader: { '.sql': 'text' },
      legalComments: 'none',
      logLevel: 'silent',
      write: true,
    },
  };
}

function prepare(p: Plan, opts: BundleOptions): void {
  if (opts.clean ?? true) rmSync(p.outDir, { recursive: true, force: true });
  mkdirSync(p.outDir, { recursive: true });
}

function finish(p: Plan, started: number): BundleResult {
  const out: Record<string, FunctionBundle> = {};
  for (const [name] of p.present) {
    const dir = path.join(p.outDir, name);
    for (const file of RUNTIME_FILES[name] ?? []) {
      const from = path.join(p.root, file.from);
      if (existsSync(from)) cpSync(from, path.join(dir, file.to), { recursive: true });
    }
    const map = path.join(dir, 'index.mjs.map');
    out[name] = { name, dir, bytes: statSync(path.join(dir, 'index.mjs')).size, mapBytes: existsSync(map) ? statSync(map).size : 0, stub: false };
  }
  for (const [name, spec] of p.missing) {
    const dir = path.join(p.outDir, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'index.mjs'), STUB_SOURCE(name, spec.entry));
    out[name] = { name, dir, bytes: 0, mapBytes: 0, stub: true };
  }
  return { outDir: p.outDir, functions: out, missing: p.missing.map(([n]) => n), ms: Date.now() - started };
}

function check(result: BuildResult): void {
  if (result.errors.length > 0) throw new Error(`esbuild failed: ${result.errors.map((e) => e.text).join('; ')}`);
}

/** Bundles the manifest's functions (one esbuild call) and returns per-function sizes. */
export async function bundleFunctions(opts: BundleOptions = {}): Promise<BundleResult> {
  const started = Date.now();
  const p = plan(opts);
  prepare(p, opts);
  if (p.present.length > 0) check(await build(p.esbuild));
  return finish(p, started);
}

/** Synchronous twin of `bundleFunctions` (the CDK app is constructed synchronously). */
export function bundleFunctionsSync(opts: BundleOptions = {}): BundleResult {
  const started = Date.now();
  const p = plan(opts);
  prepare(p, opts);
  if (p.present.length > 0) check(buildSync(p.esbuild));
  return finish(p, started);
}

/** A plain-text size table (the figure bench/ reports). */
export function formatSizeTable(result: BundleResult): string {
  const kib = (n: number) => (n / 1024).toFixed(1);
  const rows = Object.values(result.functions).sort((a, b) => b.bytes - a.bytes);
  const width = Math.max(8, ...rows.map((r) => r.name.length));
  const lines = [`${'function'.padEnd(width)}  ${'KiB'.padStart(9)}  ${'map KiB'.padStart(9)}`];
  for (const r of rows) lines.push(`${r.name.padEnd(width)}  ${(r.stub ? 'STUB' : kib(r.bytes)).padStart(9)}  ${kib(r.mapBytes).padStart(9)}`);
  const total = rows.reduce((s, r) => s + r.bytes, 0);
  lines.push(`${'total'.padEnd(width)}  ${kib(total).padStart(9)}`);
  lines.push(`${rows.length} functions in ${result.ms} ms → ${path.relative(process.cwd(), result.outDir) || '.'}`);
  if (result.missing.length > 0) lines.push(`stubbed (entry missing): ${result.missing.join(', ')}`);
  return lines.join('\n');
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf('--out');
  try {
    const result = await bundleFunctions({
      allowMissing: args.includes('--allow-missing'),
      outDir: outIdx >= 0 ? args[outIdx + 1] : undefined,
      minify: !args.includes('--no-minify'),
    });
    console.log(formatSizeTable(result));
  } catch (err) {
    console.error(err instanceof Error ? `${err.name}: ${err.message}` : err);
    process.exitCode = 1;
  }
}
