/**
 * End-to-end support: build the console once (when web/dist is missing or older than its
 * sources), launch Debian's headless Chromium through playwright-core (never a downloaded
 * browser), sign in through the real sign-in page, and measure the production bundle.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../support/stack';

export const WEB_DIR = join(ROOT, 'web/dist');
export const SHOTS_DIR = join(ROOT, 'docs/console');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const VIEWPORT = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

/** Fails (never skips) when the browser is missing: CI installs Debian's `chromium` package. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. The e2e suite needs Debian's chromium: apt-get install -y chromium (or set CHROMIUM_PATH).`);
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

/** `vite build` when web/dist/index.html is missing or older than web/src, index.html, public or the config. */
export async function ensureConsoleBuilt(): Promise<{ built: boolean; ms: number }> {
  const web = join(ROOT, 'web');
  const out = join(WEB_DIR, 'index.html');
  const sources = ['src', 'index.html', 'public', 'vite.config.ts'].map((p) => join(web, p)).filter(existsSync);
  const newestSource = Math.max(...sources.map(newestMtime));
  if (existsSync(out) && statSync(out).mtimeMs >= newestSource) return { built: false, ms: 0 };
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', 'web', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed (${code}):\n${output}`))));
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
  await page.screenshot({ path: join(SHOTS_DIR, `${name}.png`), caret: 'hide', animations: 'disabled' });
}

/** Sign in through the sign-in form; resolves once the shell shows who is signed in. */
export async function signInThroughForm(page: Page, email: string, password: string): Promise<void> {
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
  const initial = new Set([...html.matchAll(/(?:src|href)="\.?\/?assets\/([^"]+\.js)"/g)].map((m) => m[1]));
  const chunks = readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .map((file) => {
      const buf = readFileSync(join(assets, file));
      return { file, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
    })
    .sort((a, b) => b.gzip - a.gzip);
  const sum = (xs: { raw: number; gzip: number }[], k: 'raw' | 'gzip') => xs.reduce((t, x) => t + x[k], 0);
  const first = chunks.filter((c) => initial.has(c.file));
  const css = readdirSync(assets)
    .filter((f) => f.endsWith('.css'))
    .reduce((t, f) => t + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0);
  return { totalJsGzip: sum(chunks, 'gzip'), totalJsRaw: sum(chunks, 'raw'), initialJsGzip: sum(first, 'gzip'), initialJsRaw: sum(first, 'raw'), cssGzip: css, chunks };
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
