/**
 * Bundles every manifest function with esbuild, one build per function (ADR 180), into
 * `dist/functions/<name>/`: the directory the CDK app (infra/aws) ships as each Lambda's code.
 * A function built alone keeps only what its own code reaches; in one build shared by every
 * function, a module's tree-shaking serves all of them and each loaded the others' parts.
 *
 * Splitting is on, so a dynamic `import()` really defers loading: a step that only calls Anthropic
 * never reads the OpenAI or Gemini SDK from disk (cold import ~150 ms instead of ~465 ms, see
 * docs/benchmarks.md). Each function's directory holds `<name>/index.mjs` + `chunks/`, and a root
 * `index.mjs` re-exporting `handler` (Lambda's `index.handler` stays the handler string).
 *
 * Library: `await bundleFunctions({ allowMissing })` (async) or `bundleFunctionsSync(...)` (the CDK
 * app is built synchronously). CLI: `npx tsx infra/build/bundle.ts [--allow-missing] [--out dir]
 * [--result file.json]` prints a size table (and writes the result as JSON).
 */
import { build, buildSync, type BuildOptions, type BuildResult, type Metafile } from 'esbuild';
import { cpSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { functions, type FunctionName, type FunctionSpec } from '../manifest';

/** The repository root (two levels above this file). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where bundles go unless told otherwise. */
export const DEFAULT_OUT_DIR = path.join(REPO_ROOT, 'dist', 'functions');

const WORD_VECTORS = {
  from: 'shared/rag/embedders/assets/glove-100k-100d.bin',
  to: 'word-vectors/glove-100k-100d.bin',
} as const;

/**
 * Files a function reads at runtime (not through imports), copied into its asset at `<name>/<to>`,
 * or beside its entry module (`<name>/<name>/<to>`) with `besideEntry`: where the code that reads
 * them resolves them from its own `import.meta.url`. The migrate function applies the committed SQL
 * migrations from beside its module; copying them into its asset also makes its code hash change
 * whenever a migration is added, which is what re-runs the deploy trigger.
 */
export const RUNTIME_FILES: Partial<
  Record<
    FunctionName,
    ReadonlyArray<{ readonly from: string; readonly to: string; readonly besideEntry?: boolean }>
  >
> = {
  migrate: [{ from: 'shared/db/migrations', to: 'migrations', besideEntry: true }],
  // The local-semantic embedder's word vectors (10 MB, ADR 037), read lazily from
  // `<function>/word-vectors/` by functions that embed a query or a chunk; never in a bundle.
  knowledge: [WORD_VECTORS],
  embedChunks: [WORD_VECTORS],
  runAgentStep: [WORD_VECTORS],
  runToolStep: [WORD_VECTORS],
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
  /** Bytes a cold start loads before any dynamic import: the entry and its static chunks (0 for a stub). */
  readonly bytes: number;
  /** Bytes of every file shipped, dynamically imported chunks included. */
  readonly totalBytes: number;
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
export const BUNDLE_EXTERNALS: readonly string[] = [
  '@aws-sdk/*',
  '@electric-sql/pglite',
  '@electric-sql/pglite/*',
  '@electric-sql/pglite-pgvector',
  'pg-native',
];

/**
 * Packages the bundles replace with a module that throws when used. Only the MCP SDK's default
 * JSON Schema validator reaches ajv, and the MCP server passes its own (shared/mcp/no-elicitation.ts):
 * ajv and its formats were 130 KiB of the `mcp` function's cold start (ADR 182).
 */
export const LEFT_OUT_PACKAGES: Readonly<Record<string, string>> = {
  ajv: path.join(REPO_ROOT, 'infra/build/left-out/ajv.ts'),
  'ajv-formats': path.join(REPO_ROOT, 'infra/build/left-out/ajv-formats.ts'),
};

export class MissingEntryError extends Error {
  override readonly name = 'MissingEntryError';
}

/** `import { createRequire } ...` so that CommonJS dependencies calling `require` work inside ESM. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

const STUB_SOURCE = (name: string, entry: string): string =>
  `// STUB written by infra/build/bundle.ts (allowMissing): ${entry} did not exist at build time.\n` +
  `export const handler = async () => { throw new Error(${JSON.stringify(`function ${name} was not bundled: ${entry} is missing`)}); };\n`;

interface Plan {
  readonly root: string;
  readonly outDir: string;
  readonly present: Array<[FunctionName, FunctionSpec]>;
  readonly missing: Array<[FunctionName, FunctionSpec]>;
  /** One esbuild build per present function, in the same order. */
  readonly builds: Array<BuildOptions & { write: true }>;
}

function plan(opts: BundleOptions): Plan {
  const root = opts.root ?? REPO_ROOT;
  const outDir = path.resolve(opts.outDir ?? DEFAULT_OUT_DIR);
  const all = Object.entries(functions) as Array<[FunctionName, FunctionSpec]>;
  const only = opts.only;
  const selected = only ? all.filter(([n]) => only.includes(n)) : all;
  const present = selected.filter(([, f]) => existsSync(path.join(root, f.entry)));
  const missing = selected.filter(([, f]) => !existsSync(path.join(root, f.entry)));
  if (missing.length > 0 && !opts.allowMissing) {
    const list = missing.map(([n, f]) => `${n} (${f.entry})`).join(', ');
    throw new MissingEntryError(
      `cannot bundle: entry file missing for ${list}. Pass allowMissing (--allow-missing) to stub them.`,
    );
  }
  const options = (name: FunctionName, spec: FunctionSpec): BuildOptions & { write: true } => ({
    absWorkingDir: root,
    // `<name>/index` → dist/functions/<name>/<name>/index.mjs, its chunks beside it in `chunks/`
    entryPoints: { [`${name}/index`]: path.join(root, spec.entry) },
    outdir: path.join(outDir, name),
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    minify: opts.minify ?? true,
    sourcemap: 'external',
    external: [...BUNDLE_EXTERNALS],
    alias: { ...LEFT_OUT_PACKAGES },
    mainFields: ['module', 'main'],
    // No 'import' here: esbuild adds import/require per call, and forcing 'import' would hand
    // CommonJS require() calls an ESM namespace (pg's require('pg-pool') then breaks).
    conditions: ['module', 'node'],
    banner: { js: ESM_REQUIRE_BANNER },
    loader: { '.sql': 'text' },
    legalComments: 'none',
    logLevel: 'silent',
    write: true,
  });
  return { root, outDir, present, missing, builds: present.map(([n, f]) => options(n, f)) };
}

function prepare(p: Plan, opts: BundleOptions): void {
  if (opts.clean ?? true) rmSync(p.outDir, { recursive: true, force: true });
  mkdirSync(p.outDir, { recursive: true });
}

function finish(p: Plan, results: readonly BuildResult[], started: number): BundleResult {
  const out: Record<string, FunctionBundle> = {};
  p.present.forEach(([name], i) => {
    const dir = path.join(p.outDir, name);
    const outputs = results[i]?.metafile?.outputs ?? {};
    const { all, eager } = reachable(
      outputs,
      path.relative(p.root, path.join(dir, name, 'index.mjs')),
    );
    writeFileSync(path.join(dir, 'index.mjs'), `export { handler } from './${name}/index.mjs';\n`);
    for (const file of RUNTIME_FILES[name] ?? []) {
      const from = path.join(p.root, file.from);
      const to = file.besideEntry ? path.join(dir, name, file.to) : path.join(dir, file.to);
      if (existsSync(from)) cpSync(from, to, { recursive: true });
    }
    const size = (files: Iterable<string>) =>
      [...files].reduce((sum, f) => sum + outputs[f].bytes, 0);
    const map = path.join(dir, name, 'index.mjs.map');
    out[name] = {
      name,
      dir,
      bytes: size(eager),
      totalBytes: size(all),
      mapBytes: existsSync(map) ? statSync(map).size : 0,
      stub: false,
    };
  });
  for (const [name, spec] of p.missing) {
    const dir = path.join(p.outDir, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'index.mjs'), STUB_SOURCE(name, spec.entry));
    out[name] = { name, dir, bytes: 0, totalBytes: 0, mapBytes: 0, stub: true };
  }
  return {
    outDir: p.outDir,
    functions: out,
    missing: p.missing.map(([n]) => n),
    ms: Date.now() - started,
  };
}

/** Output files reachable from `entry`: all of them, and those loaded eagerly (static imports only). */
function reachable(
  outputs: Metafile['outputs'],
  entry: string,
): { all: Set<string>; eager: Set<string> } {
  const walk = (dynamic: boolean) => {
    const seen = new Set<string>();
    const visit = (f: string) => {
      if (seen.has(f) || !outputs[f]) return;
      seen.add(f);
      for (const imp of outputs[f].imports)
        if (!imp.external && (dynamic || imp.kind === 'import-statement')) visit(imp.path);
    };
    visit(entry);
    return seen;
  };
  return { all: walk(true), eager: walk(false) };
}

function checked(result: BuildResult): BuildResult {
  if (result.errors.length > 0)
    throw new Error(`esbuild failed: ${result.errors.map((e) => e.text).join('; ')}`);
  return result;
}

/** Bundles the manifest's functions (one esbuild build each) and returns per-function sizes. */
export async function bundleFunctions(opts: BundleOptions = {}): Promise<BundleResult> {
  const started = Date.now();
  const p = plan(opts);
  prepare(p, opts);
  // One at a time: esbuild already uses every core for one build (measured: running them all at
  // once took longer than in turn on two cores).
  const results: BuildResult[] = [];
  for (const options of p.builds) results.push(checked(await build(options)));
  return finish(p, results, started);
}

/** Synchronous twin of `bundleFunctions` (the CDK app is constructed synchronously). */
export function bundleFunctionsSync(opts: BundleOptions = {}): BundleResult {
  const started = Date.now();
  const p = plan(opts);
  prepare(p, opts);
  return finish(
    p,
    p.builds.map((options) => checked(buildSync(options))),
    started,
  );
}

/** A plain-text size table (the figure bench/ reports). */
export function formatSizeTable(result: BundleResult): string {
  const kib = (n: number) => (n / 1024).toFixed(1);
  const rows = Object.values(result.functions).sort((a, b) => b.bytes - a.bytes);
  const width = Math.max(8, ...rows.map((r) => r.name.length));
  const lines = [
    `${'function'.padEnd(width)}  ${'cold KiB'.padStart(9)}  ${'all KiB'.padStart(9)}  ${'map KiB'.padStart(9)}`,
  ];
  for (const r of rows)
    lines.push(
      `${r.name.padEnd(width)}  ${(r.stub ? 'STUB' : kib(r.bytes)).padStart(9)}  ${kib(r.totalBytes).padStart(9)}  ${kib(r.mapBytes).padStart(9)}`,
    );
  lines.push(
    'cold: loaded at cold start (entry + static chunks); all: also the chunks loaded on first use',
  );
  lines.push(
    `${rows.length} functions in ${result.ms} ms → ${path.relative(process.cwd(), result.outDir) || '.'}`,
  );
  if (result.missing.length > 0)
    lines.push(`stubbed (entry missing): ${result.missing.join(', ')}`);
  return lines.join('\n');
}

const invokedDirectly =
  process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const args = process.argv.slice(2);
  const flagValue = (flag: string) =>
    args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined;
  try {
    const result = await bundleFunctions({
      allowMissing: args.includes('--allow-missing'),
      outDir: flagValue('--out'),
      minify: !args.includes('--no-minify'),
    });
    const resultFile = flagValue('--result');
    if (resultFile) writeFileSync(resultFile, JSON.stringify(result));
    console.log(formatSizeTable(result));
  } catch (err) {
    console.error(err instanceof Error ? `${err.name}: ${err.message}` : err);
    process.exitCode = 1;
  }
}
