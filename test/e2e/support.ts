/**
 * End-to-end support: build the console once (when web/dist is missing or older than its
 * sources), launch Debian's headless Chromium through playwright-core (never a downloaded
 * browser), start the local platform serving it, sign in through the real sign-in page, seed
 * the data the console files share, and measure the production bundle.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ADMIN_PASSWORD, ROOT, startTestStack, type TestStack } from '../support/stack';

export const WEB_DIR = join(ROOT, 'web/dist');
export const SHOTS_DIR = join(ROOT, 'docs/console');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const VIEWPORT = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Fails (never skips) when the browser is missing: CI installs Debian's `chromium` package. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. The e2e suite needs Debian's chromium: apt-get install -y chromium (or set CHROMIUM_PATH).`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const BUILD_LOCK = join(tmpdir(), `hishamos-web-build-${ROOT.replace(/[^a-z0-9]+/gi, '_')}.lock`);

/** One builder at a time when several e2e files start together (a stale lock, over two minutes old, is taken over). */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(BUILD_LOCK);
      break;
    } catch {
      const st = await stat(BUILD_LOCK).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > 120_000)
        await rm(BUILD_LOCK, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(BUILD_LOCK, { recursive: true, force: true });
  }
}

/** `vite build` when web/dist/index.html is missing or older than web/src, index.html, public or the config. */
export async function ensureConsoleBuilt(): Promise<{ built: boolean; ms: number }> {
  return withBuildLock(buildIfStale);
}

async function buildIfStale(): Promise<{ built: boolean; ms: number }> {
  const web = join(ROOT, 'web');
  const out = join(WEB_DIR, 'index.html');
  const sources = ['src', 'index.html', 'public', 'vite.config.ts']
    .map((p) => join(web, p))
    .filter(existsSync);
  const newestSource = Math.max(...sources.map(newestMtime));
  if (existsSync(out) && statSync(out).mtimeMs >= newestSource) return { built: false, ms: 0 };
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'node_modules/vite/bin/vite.js'),
        'build',
        'web',
        '--config',
        'web/vite.config.ts',
        '--logLevel',
        'warn',
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build failed (${code}):\n${output}`)),
    );
  });
  return { built: true, ms: Math.round(performance.now() - started) };
}

export async function ensureShotsDir(): Promise<void> {
  await mkdir(SHOTS_DIR, { recursive: true });
}

/** A viewport screenshot, scrolled to the top or to just above the element matching `scrollTo`. */
export async function shot(page: Page, name: string, scrollTo?: string): Promise<void> {
  await page.evaluate((sel) => {
    const el = sel ? document.querySelector(sel) : null;
    window.scrollTo(0, el ? Math.max(0, el.getBoundingClientRect().top + window.scrollY - 140) : 0);
  }, scrollTo ?? null);
  // Let transitions and the React Flow fit settle, and hide the caret so images are stable.
  await page.waitForTimeout(250);
  await page.screenshot({
    path: join(SHOTS_DIR, `${name}.png`),
    caret: 'hide',
    animations: 'disabled',
  });
}

/** Sign in through the sign-in form; resolves once the shell shows who is signed in. */
export async function signInThroughForm(
  page: Page,
  email: string,
  password: string,
): Promise<void> {
  await page.locator('#signin-email').fill(email);
  await page.locator('#signin-password').fill(password);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('whoami').waitFor();
}

export interface BundleFigures {
  /** Every JS chunk, gzip level 9, as a CDN would serve it. */
  totalJsGzip: number;
  totalJsRaw: number;
  /** What the first page load needs: the entry script and its modulepreloads. */
  initialJsGzip: number;
  initialJsRaw: number;
  cssGzip: number;
  chunks: { file: string; raw: number; gzip: number }[];
}

export function measureBundle(): BundleFigures {
  const assets = join(WEB_DIR, 'assets');
  const html = readFileSync(join(WEB_DIR, 'index.html'), 'utf8');
  const initial = new Set(
    [...html.matchAll(/(?:src|href)="\.?\/?assets\/([^"]+\.js)"/g)].map((m) => m[1]),
  );
  const chunks = readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .map((file) => {
      const buf = readFileSync(join(assets, file));
      return { file, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
    })
    .sort((a, b) => b.gzip - a.gzip);
  const sum = (xs: { raw: number; gzip: number }[], k: 'raw' | 'gzip') =>
    xs.reduce((t, x) => t + x[k], 0);
  const first = chunks.filter((c) => initial.has(c.file));
  const css = readdirSync(assets)
    .filter((f) => f.endsWith('.css'))
    .reduce((t, f) => t + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0);
  return {
    totalJsGzip: sum(chunks, 'gzip'),
    totalJsRaw: sum(chunks, 'raw'),
    initialJsGzip: sum(first, 'gzip'),
    initialJsRaw: sum(first, 'raw'),
    cssGzip: css,
    chunks,
  };
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * Injected before the app loads: records `performance.now()` (ms since navigation start) when
 * the runs table first holds a row, i.e. the runs page is rendered with data and usable.
 */
export const RUNS_READY_SCRIPT = `(() => {
  const check = () => {
    if (window.__runsReadyAt === undefined && document.querySelector('[data-testid="runs-table"] [data-testid="run-row"]')) {
      window.__runsReadyAt = performance.now();
      performance.mark('runs-interactive');
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
})();`;

/**
 * Injected on the run page: a log of every status each DAG node shows, so a test can tell
 * that the nodes changed in place (no reload) and in which order.
 */
export const STATUS_LOG_SCRIPT = `(() => {
  window.__pageId = Math.random().toString(36).slice(2);
  window.__statusLog = [];
  const seen = new Map();
  const check = () => {
    for (const el of document.querySelectorAll('[data-testid^="step-node-"]')) {
      const id = el.getAttribute('data-testid').slice('step-node-'.length);
      const status = el.getAttribute('data-status');
      if (seen.get(id) !== status) {
        seen.set(id, status);
        window.__statusLog.push({ node: id, status, at: Math.round(performance.now()) });
      }
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-status'] });
})();`;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const ADMIN = 'admin@localhost';
export const VIEWER = { email: 'viewer@example.test', password: 'viewer-password-for-e2e' };
export const AGENT = {
  slug: 'e2e-writer',
  name: 'E2E writer',
  role: 'Writes short drafts',
  system: 'You write short, plain drafts.',
};
export const WORKFLOW = { name: 'E2E draft and review', slug: 'e2e-draft-and-review' };
export const REFRESH_KEY = 'hishamos.refreshToken';
export const KB = {
  name: 'E2E lighthouse handbook',
  agent: 'e2e-keeper',
  workflow: 'e2e-ask-the-handbook',
};
export const LIGHTHOUSE_DOC = {
  title: 'Lighthouse keeping',
  text: [
    '# Lighthouse keeping',
    '',
    '## The lens',
    '',
    'A Fresnel lens focuses the lamp into a narrow beam. Keepers polish the Fresnel lens every morning and draw the curtains so sunlight cannot scorch the prisms.',
    '',
    '## The lamp',
    '',
    'The lamp burns paraffin. The keeper trims the wick at dusk, winds the clockwork that turns the lens, and logs every hour of the night watch.',
    '',
    '## Fog signals',
    '',
    'When fog rolls in, the keeper starts the foghorn: two blasts every thirty seconds until the visibility returns.',
  ].join('\n'),
};

/** One e2e file's world: the platform serving web/dist, one browser, and the admin's light-mode page. */
export interface ConsoleSession {
  stack: TestStack;
  browser: Browser;
  /** The admin's browser context (1280x800, light, reduced motion). */
  admin: BrowserContext;
  page: Page;
  /** Uncaught page errors seen so far (each file asserts there were none). */
  pageErrors: string[];
  /** The console URL of a hash route. */
  at(path: string): string;
  close(): Promise<void>;
}

/**
 * Builds the console if stale, launches Chromium (first: a missing browser fails the file before
 * anything starts) and starts the stack with the console served. `latencyMs` is the simulator's
 * answer time: 800 ms keeps a run visibly RUNNING for a while.
 */
export async function openConsole(options: { latencyMs?: number } = {}): Promise<ConsoleSession> {
  const [build] = await Promise.all([ensureConsoleBuilt(), ensureShotsDir()]);
  if (build.built) console.log(`web console built in ${build.ms} ms`);
  const browser = await launchChromium();
  let stack: TestStack;
  try {
    stack = await startTestStack({
      webDir: WEB_DIR,
      env: options.latencyMs ? { SIMULATOR_LATENCY_MS: String(options.latencyMs) } : {},
    });
  } catch (err) {
    await browser.close();
    throw err;
  }
  const admin = await browser.newContext({
    viewport: VIEWPORT,
    colorScheme: 'light',
    reducedMotion: 'reduce',
  });
  const page = await admin.newPage();
  page.setDefaultTimeout(15_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return {
    stack,
    browser,
    admin,
    page,
    pageErrors,
    at: (path) => `${stack.url}/#${path}`,
    async close() {
      await browser.close();
      await stack.close();
    },
  };
}

/**
 * One console session for an e2e file: opened in a `beforeAll` registered here (so before the
 * file's own seeding hook) and closed after its tests. The returned object reads the open session,
 * so use it inside hooks and tests only.
 */
export function useConsole(options: { latencyMs?: number } = {}): ConsoleSession {
  let session: ConsoleSession | undefined;
  beforeAll(async () => {
    session = await openConsole(options);
  });
  afterAll(async () => {
    await session?.close();
  });
  const open = (): ConsoleSession => {
    if (!session)
      throw new Error('the console session opens in beforeAll: use it inside hooks and tests');
    return session;
  };
  return {
    get stack() {
      return open().stack;
    },
    get browser() {
      return open().browser;
    },
    get admin() {
      return open().admin;
    },
    get page() {
      return open().page;
    },
    get pageErrors() {
      return open().pageErrors;
    },
    at: (path) => open().at(path),
    close: () => open().close(),
  };
}

export const hashOf = (p: Page) => decodeURIComponent(new URL(p.url()).hash);

/** Signs the admin's page in through the sign-in form, landing on `path`. */
export async function signInAsAdmin(c: ConsoleSession, path = '/runs'): Promise<void> {
  await c.page.goto(c.at(path));
  await signInThroughForm(c.page, ADMIN, ADMIN_PASSWORD);
}

async function created(res: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const r = await res;
  if (r.status !== 201 && r.status !== 202)
    throw new Error(`could not ${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/**
 * The runs list's background: a feature-pipeline run (for the richer run-page screenshots) and a
 * second workflow whose last step fails for good, so the list shows more than one outcome.
 */
export async function seedRuns(stack: TestStack): Promise<{
  pipelineRunId: string;
  pipelineDone: Promise<unknown>;
  failedDone: Promise<{ status: string }>;
}> {
  const token = await stack.adminToken();
  const started = await created(
    stack.call('POST', '/v1/workflows/feature-pipeline/runs', {
      token,
      body: { input: { feature: 'Dark mode for the settings page', repository: 'web' } },
    }),
    'start feature-pipeline',
  );
  const pipelineRunId: string = started.runId;
  const pipelineDone = stack.waitForRun(token, pipelineRunId, 60_000);
  await seedFailingWorkflow(stack);
  const failing = await created(
    stack.call('POST', '/v1/workflows/nightly-digest/runs', { token, body: { input: {} } }),
    'start nightly-digest',
  );
  const failedDone = stack.waitForRun(token, failing.runId, 60_000);
  // Never an unhandled rejection when a file does not await them.
  pipelineDone.catch(() => undefined);
  failedDone.catch(() => undefined);
  return { pipelineRunId, pipelineDone, failedDone };
}

/** The `broken` agent (its model always fails) and the `nightly-digest` workflow that ends with it. */
export async function seedFailingWorkflow(stack: TestStack): Promise<void> {
  const token = await stack.adminToken();
  await created(
    stack.call('POST', '/v1/agents', {
      token,
      body: { slug: 'broken', name: 'Broken agent', role: 'always fails', model: 'simulator:fail' },
    }),
    'create the broken agent',
  );
  await created(
    stack.call('POST', '/v1/workflows', {
      token,
      body: {
        slug: 'nightly-digest',
        name: 'Nightly digest',
        nodes: [
          { id: 'collect', type: 'agent', agent: 'pm', prompt: 'Collect the day' },
          { id: 'publish', type: 'agent', agent: 'broken', prompt: '{{steps.collect.output}}' },
        ],
        edges: [{ from: 'collect', to: 'publish' }],
      },
    }),
    'create nightly-digest',
  );
}

/**
 * Through the API, what console-editing builds in the browser: the E2E writer agent and the
 * two-node draft-and-review workflow; with `run`, one run of it on `lighthouses`.
 */
export async function seedEditedWorkflow(
  stack: TestStack,
  options: { run?: boolean } = {},
): Promise<{ runId?: string; runDone?: Promise<{ status: string }> }> {
  const token = await stack.adminToken();
  await created(
    stack.call('POST', '/v1/agents', {
      token,
      body: {
        slug: AGENT.slug,
        name: AGENT.name,
        role: AGENT.role,
        systemPrompt: AGENT.system,
        model: 'openai:gpt-4.1-mini',
        parameters: { temperature: 0.4 },
      },
    }),
    'create the E2E agent',
  );
  await created(
    stack.call('POST', '/v1/workflows', {
      token,
      body: {
        slug: WORKFLOW.slug,
        name: WORKFLOW.name,
        inputs: [{ name: 'topic' }],
        nodes: [
          {
            id: AGENT.slug,
            type: 'agent',
            agent: AGENT.slug,
            prompt: 'Write a three-line draft about {{input.topic}}',
          },
          {
            id: 'reviewer',
            type: 'agent',
            agent: 'reviewer',
            prompt: `Review this draft:\n\n{{steps.${AGENT.slug}.output}}`,
          },
        ],
        edges: [{ from: AGENT.slug, to: 'reviewer' }],
      },
    }),
    'create the E2E workflow',
  );
  if (!options.run) return {};
  const started = await created(
    stack.call('POST', `/v1/workflows/${WORKFLOW.slug}/runs`, {
      token,
      body: { input: { topic: 'lighthouses' } },
    }),
    'start the E2E workflow',
  );
  const runDone = stack.waitForRun(token, started.runId, 60_000);
  runDone.catch(() => undefined);
  return { runId: started.runId, runDone };
}

/** Through the API, the lighthouse knowledge base with its one document, ingested (ready). */
export async function seedKnowledgeBase(stack: TestStack): Promise<string> {
  const token = await stack.adminToken();
  const kb = await created(
    stack.call('POST', '/v1/knowledge-bases', {
      token,
      body: { name: KB.name, embeddingModel: 'local', chunking: { size: 300, overlap: 40 } },
    }),
    'create the knowledge base',
  );
  await created(
    stack.call('POST', `/v1/knowledge-bases/${kb.id}/documents`, { token, body: LIGHTHOUSE_DOC }),
    'add the lighthouse document',
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const docs = await stack.call('GET', `/v1/knowledge-bases/${kb.id}/documents`, { token });
    if (docs.body?.items?.[0]?.status === 'ready') return kb.id;
    if (docs.body?.items?.[0]?.status === 'failed' || Date.now() > deadline)
      throw new Error(`lighthouse document not ready: ${JSON.stringify(docs.body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
