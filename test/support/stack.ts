/**
 * Starts the real local runtime for a test file: the manifest's handlers behind the local API
 * Gateway, ASL in aws-local-stepfunctions, dynalite, the local S3 engine (infra/local/s3-server.ts),
 * and PGlite in memory, or the real PostgreSQL at DATABASE_URL when it is set, through the local
 * RDS Data API endpoint when HISHAMOS_DB_DRIVER=data-api is set too (CI runs the suites all three
 * ways).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocal, type LocalRuntime } from '../../infra/local/runtime';
import { checkResponse } from './contract';
import { freshDatabase } from './fresh-database';
import { migratedPgliteDump } from './pglite-dump';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const ADMIN_PASSWORD = 'demo-admin-password-for-tests';

export interface TestStack extends LocalRuntime {
  call(
    method: string,
    path: string,
    options?: {
      token?: string;
      body?: unknown;
      rawBody?: string;
      headers?: Record<string, string>;
    },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  adminToken(): Promise<string>;
  signup(
    tenantName: string,
    email?: string,
  ): Promise<{ accessToken: string; refreshToken: string; email: string; password: string }>;
  waitForRun(token: string, runId: string, timeoutMs?: number): Promise<any>;
  /** Invites `email` with `role` and accepts as a new account with `password`; returns its sign-in. */
  addMember(adminToken: string, email: string, role: string, password: string): Promise<any>;
}

export async function startTestStack(
  options: {
    env?: Record<string, string>;
    retryIntervalMs?: number /** Serve the built console (web/dist) too. */;
    webDir?: string /** Capture log lines (e.g. to scan them for secrets). */;
    logSink?: (line: string) => void /** The platform clock. */;
    now?: () => number;
    /** Where spans go (an in-memory exporter to inspect traces). */
    spanExporter?: import('@opentelemetry/sdk-trace-base').SpanExporter;
  } = {},
): Promise<TestStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hishamos-test-'));
  const database = process.env.DATABASE_URL
    ? await freshDatabase(process.env.DATABASE_URL)
    : undefined;
  const runtime = await startLocal({
    root: ROOT,
    pgliteDump: database ? undefined : await migratedPgliteDump(ROOT),
    dataDir,
    port: 0,
    seed: true,
    retryIntervalMs: options.retryIntervalMs ?? 0,
    logSink: options.logSink,
    now: options.now,
    spanExporter: options.spanExporter,
    webDir: options.webDir,
    env: {
      HISHAMOS_PGLITE_MEMORY: '1',
      DATABASE_URL: database?.url,
      // CI runs the suites once more through the local Data API endpoint (the AWS code path).
      HISHAMOS_DB_DRIVER: process.env.HISHAMOS_DB_DRIVER,
      HISHAMOS_ADMIN_PASSWORD: ADMIN_PASSWORD,
      SIMULATOR_LATENCY_MS: '40',
      // Suites sign in far more often than people do; rate-limits.test.ts sets its own low limits.
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_PER_MINUTE: '100000',
      TENANT_RATE_LIMIT_PER_MINUTE: '100000',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...options.env,
    },
  });
  let admin: string | undefined;
  const stack: TestStack = {
    ...runtime,
    async close() {
      await runtime.close();
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
    async call(method, path, o = {}) {
      const res = await fetch(`${runtime.url}${path}`, {
        method,
        headers: {
          ...(o.body !== undefined || o.rawBody !== undefined
            ? { 'content-type': 'application/json' }
            : {}),
          ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          ...o.headers,
        },
        body: o.rawBody ?? (o.body !== undefined ? JSON.stringify(o.body) : undefined),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      // A YAML export (ADR 140) is the same document as text: its JSON form is what gets checked.
      if (!/yaml/.test(res.headers.get('content-type') ?? ''))
        checkResponse(method, path, res.status, body);
      return { status: res.status, body, headers: res.headers };
    },
    async adminToken() {
      if (admin) return admin;
      const res = await stack.call('POST', '/v1/auth/login', {
        body: { email: 'admin@localhost', password: ADMIN_PASSWORD, tenant: 'demo' },
      });
      if (res.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(res.body)}`);
      admin = res.body.accessToken as string;
      return admin;
    },
    async signup(tenantName, email) {
      const address =
        email ??
        `${tenantName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${Math.random().toString(36).slice(2, 8)}@example.test`;
      const password = 'correct horse battery staple';
      const res = await stack.call('POST', '/v1/auth/signup', {
        body: {
          tenantName: `${tenantName} ${Math.random().toString(36).slice(2, 8)}`,
          email: address,
          password,
        },
      });
      if (res.status !== 201) throw new Error(`signup failed: ${JSON.stringify(res.body)}`);
      return { ...res.body, email: address, password };
    },
    async addMember(adminToken, email, role, password) {
      const invited = await stack.call('POST', '/v1/members', {
        token: adminToken,
        body: { email, role },
      });
      if (invited.status !== 201) throw new Error(`invite failed: ${JSON.stringify(invited.body)}`);
      const accepted = await stack.call('POST', '/v1/invitations/accept', {
        body: { token: invited.body.token, password },
      });
      if (accepted.status !== 200)
        throw new Error(`accept failed: ${JSON.stringify(accepted.body)}`);
      return { ...accepted.body, invitation: invited.body };
    },
    async waitForRun(token, runId, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const res = await stack.call('GET', `/v1/runs/${runId}`, { token });
        if (['SUCCEEDED', 'FAILED', 'CANCELLED', 'WAITING'].includes(res.body?.status))
          return res.body;
        if (Date.now() > deadline)
          throw new Error(`run ${runId} still ${res.body?.status} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  return stack;
}
