/**
 * infra/build/bundle.ts: one esbuild build per manifest function, ESM for Lambda's nodejs22.x,
 * AWS SDK left to the runtime, and a clear failure when an entry is missing (unless allowed).
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  bundleFunctions,
  ESM_REQUIRE_BANNER,
  formatSizeTable,
  MissingEntryError,
  REPO_ROOT,
} from '../../infra/build/bundle';
import { functions } from '../../infra/manifest';
import { prebuiltBundle } from './prebuilt';

let root: string;

beforeAll(() => {
  // Prepare: a throwaway repository root holding one real entry (meta) and the repo's node_modules.
  root = mkdtempSync(path.join(os.tmpdir(), 'hishamos-bundle-'));
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  mkdirSync(path.join(root, 'functions', 'meta'), { recursive: true });
  writeFileSync(
    path.join(root, functions.meta.entry),
    [
      "import { z } from 'zod';",
      "import { S3Client } from '@aws-sdk/client-s3';",
      "export const handler = async () => ({ ok: z.literal('yes').parse('yes'), sdk: typeof S3Client });",
    ].join('\n'),
  );
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('bundleFunctions', () => {
  it('fails naming the missing entries unless allowMissing is set', async () => {
    // Act
    const attempt = bundleFunctions({
      root,
      outDir: path.join(root, 'dist-strict'),
      only: ['meta', 'auth'],
    });
    // Assess
    await expect(attempt).rejects.toThrow(MissingEntryError);
    await expect(
      bundleFunctions({ root, outDir: path.join(root, 'dist-strict'), only: ['meta', 'auth'] }),
    ).rejects.toThrow(/auth \(functions\/auth\/handler\.ts\)/);
  });

  it('bundles present entries as ESM with the require banner and external AWS SDK, behind a root index.mjs', async () => {
    // Prepare
    const outDir = path.join(root, 'dist');
    // Act
    const result = await bundleFunctions({ root, outDir, allowMissing: true });
    // Assess
    const meta = result.functions.meta!;
    const root_ = readFileSync(path.join(outDir, 'meta', 'index.mjs'), 'utf8');
    const code = readFileSync(path.join(outDir, 'meta', 'meta', 'index.mjs'), 'utf8');
    expect(meta).toEqual(expect.objectContaining({ stub: false, dir: path.join(outDir, 'meta') }));
    expect(meta.bytes).toBeGreaterThan(1000);
    expect(meta.totalBytes).toBeGreaterThanOrEqual(meta.bytes);
    expect(root_).toBe("export { handler } from './meta/index.mjs';\n");
    expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    expect(code).toMatch(/from\s*"@aws-sdk\/client-s3"/);
    expect(existsSync(path.join(outDir, 'meta', 'meta', 'index.mjs.map'))).toBe(true);
    expect(Object.keys(result.functions).sort()).toEqual(Object.keys(functions).sort());
    expect(result.missing).not.toContain('meta');
    expect(formatSizeTable(result)).toMatch(/^meta\s+\d+\.\d/m);
  });

  it('writes stubs that fail loudly for missing entries', async () => {
    // Prepare
    const outDir = path.join(root, 'dist-stub');
    await bundleFunctions({ root, outDir, allowMissing: true, only: ['auth'] });
    // Act
    const stub = readFileSync(path.join(outDir, 'auth', 'index.mjs'), 'utf8');
    // Assess
    expect(stub).toContain('functions/auth/handler.ts is missing');
    expect(stub).toContain('export const handler');
  });

  it('ships the committed SQL migrations beside the migrate entry module', async () => {
    // Prepare
    const outDir = path.join(root, 'dist-migrate');
    const committed = readdirSync(path.join(REPO_ROOT, 'shared', 'db', 'migrations')).filter((f) =>
      f.endsWith('.sql'),
    );
    // Act
    await bundleFunctions({ outDir, only: ['migrate'] });
    // Assess
    expect(committed.length).toBeGreaterThan(0);
    expect(readdirSync(path.join(outDir, 'migrate', 'migrate', 'migrations')).sort()).toEqual(
      expect.arrayContaining(committed),
    );
  });

  it('ships the word vectors beside the knowledge bundle, outside its code (ADR 037)', async () => {
    // Act: the real knowledge entry of this repository
    const outDir = path.join(root, 'dist-vectors');
    const result = await bundleFunctions({ outDir, only: ['knowledge'] });
    // Assess: one level above any bundle file, where word-vectors.ts looks in a Lambda asset
    const asset = path.join(outDir, 'knowledge', 'word-vectors', 'glove-100k-100d.bin');
    expect(readFileSync(asset).subarray(0, 4).toString('ascii')).toBe('HWV1');
    expect(result.functions.knowledge.totalBytes).toBeLessThan(4 * 1024 * 1024);
    expect(existsSync(path.join(outDir, 'knowledge', 'knowledge', 'index.mjs'))).toBe(true);
  });

  it('splits dynamic imports: the agent step loads no provider SDK until a call needs one', async () => {
    // Act: the real runAgentStep entry of this repository
    const result = await bundleFunctions({
      outDir: path.join(root, 'dist-split'),
      only: ['runAgentStep'],
    });
    // Assess: the SDKs are shipped as chunks but are not part of what a cold start loads
    const fn = result.functions.runAgentStep!;
    const chunks = readdirSync(path.join(fn.dir, 'chunks'));
    expect(chunks.some((c) => c.startsWith('openai-'))).toBe(true);
    expect(chunks.some((c) => c.startsWith('anthropic-'))).toBe(true);
    // Their bytes are all outside what a cold start loads.
    const sdkBytes = chunks
      .filter((c) => /^(openai|anthropic)-.*\.mjs$/.test(c))
      .reduce((sum, c) => sum + statSync(path.join(fn.dir, 'chunks', c)).size, 0);
    expect(sdkBytes).toBeGreaterThan(0);
    expect(fn.totalBytes - fn.bytes).toBeGreaterThanOrEqual(sdkBytes);
  });

  it('every function loads at most 300 KiB at cold start (issue 12, ADRs 180 and 182)', async () => {
    // Act: the real entries of this repository, as the CDK app builds them (the project's one
    // build, test/infra/global-setup.mjs, when it ran)
    const result =
      prebuiltBundle() ?? (await bundleFunctions({ outDir: path.join(root, 'dist-all') }));
    // Assess: zod is imported as a namespace (tree-shaken: no locales); the OpenTelemetry SDK,
    // Octokit, the provider SDKs, knowledge retrieval, YAML, the QR encoder and single sign-on
    // load on first use; each function is built alone, so none carries another's code, and an API
    // handler imports its own routes only
    const cold = Object.values(result.functions).map((f) => [f.name, f.bytes] as const);
    expect(cold).toHaveLength(Object.keys(functions).length);
    for (const [, bytes] of cold) expect(bytes).toBeGreaterThan(0);
    const over = cold
      .filter(([, bytes]) => bytes > 300 * 1024)
      .map(([name, bytes]) => `${name}: ${bytes} bytes`);
    expect(over).toEqual([]);
    // mcp carries the MCP SDK but not ajv, its default JSON Schema validator; no other function
    // reaches the left-out ajv at all, so the alias changes nothing else (ADR 182)
    const shipped = (fn: { dir: string; name: string }) => {
      const chunks = path.join(fn.dir, 'chunks');
      return (existsSync(chunks) ? readdirSync(chunks) : [])
        .map((c) => readFileSync(path.join(chunks, c), 'utf8'))
        .concat(readFileSync(path.join(fn.dir, fn.name, 'index.mjs'), 'utf8'));
    };
    const leftOut = Object.values(result.functions)
      .filter((fn) => shipped(fn).some((code) => code.includes('left out of the Lambda bundles')))
      .map((fn) => fn.name);
    expect(leftOut).toEqual(['mcp']);
    expect(shipped(result.functions.mcp!).some((code) => code.includes('strictSchema'))).toBe(
      false,
    );
    // ...and first-use code is shipped: the agent step's first-use chunks are over 1 MiB
    const agent = result.functions.runAgentStep!;
    expect(agent.totalBytes).toBeGreaterThan(agent.bytes + 1024 * 1024);
  });

  it('members loads the PII pattern analysis (scslre/refa, ~1 MiB) only when a policy is saved', async () => {
    // Act: the real members entry of this repository
    const result = await bundleFunctions({
      outDir: path.join(root, 'dist-members'),
      only: ['members'],
    });
    // Assess: the analysis is a first-use chunk, outside what a cold start loads (was 1435 KiB)
    const fn = result.functions.members!;
    const chunk = readdirSync(path.join(fn.dir, 'chunks')).find((c) =>
      /^pattern-check-.*\.mjs$/.test(c),
    );
    expect(chunk).toBeDefined();
    const chunkBytes = statSync(path.join(fn.dir, 'chunks', chunk ?? '')).size;
    expect(chunkBytes).toBeGreaterThan(512 * 1024);
    expect(fn.totalBytes - fn.bytes).toBeGreaterThanOrEqual(chunkBytes);
    expect(fn.bytes).toBeLessThan(400 * 1024);
  });

  it('produces a bundle that runs', async () => {
    // Prepare
    const outDir = path.join(root, 'dist-run');
    await bundleFunctions({ root, outDir, only: ['meta'] });
    // Act
    const mod = (await import(pathToFileURL(path.join(outDir, 'meta', 'index.mjs')).href)) as {
      handler: () => Promise<unknown>;
    };
    // Assess
    await expect(mod.handler()).resolves.toEqual({ ok: 'yes', sdk: 'function' });
  });
});
