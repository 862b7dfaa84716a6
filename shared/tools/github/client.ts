/**
 * An Octokit for a trigger's GitHub credentials: a token as is, or a GitHub App, whose JWT (RS256,
 * signed here with node:crypto) is exchanged for an installation token, cached until near expiry.
 * Failures become the retryable/permanent error names of shared/tools/http-errors.
 */
import { guardedFetch } from '../../net/outbound';
import { createSign } from 'node:crypto';
import type { Octokit } from '@octokit/rest';
import type { TriggerCredentials } from '../../api/contracts/triggers';
import { registerSecret } from '../../observability/logger';
import { classifyHttpFailure } from '../http-errors';

type AppCredentials = Extract<TriggerCredentials, { type: 'app' }>;

const USER_AGENT = 'HishamOS-automation';
const SILENT = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const installationTokens = new Map<string, { token: string; expiresAt: number }>();

export async function octokit(baseUrl: string, auth: string): Promise<Octokit> {
  // Loaded on first use: a step or a webhook that never calls GitHub does not load Octokit (~110 KB).
  const { Octokit } = await import('@octokit/rest');
  // No retry or throttling plugins: Step Functions retries the step by error name.
  // Octokit's request log would print URLs to stderr; our errors carry what matters.
  return new Octokit({
    auth,
    baseUrl: baseUrl.replace(/\/$/, ''),
    userAgent: USER_AGENT,
    // The API base URL may be the tenant's (GitHub Enterprise): the guarded client (ADR 052).
    request: { retries: 0, fetch: guardedFetch },
    log: SILENT,
  });
}

/** The App's own JWT (10 minutes at most; issued a minute back for clock drift). */
export function appJwt(app: AppCredentials, nowMs = Date.now()): string {
  const now = Math.floor(nowMs / 1000);
  const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const unsigned = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({ iat: now - 60, exp: now + 540, iss: String(app.appId) })}`;
  const signature = createSign('RSA-SHA256')
    .update(unsigned)
    .sign(app.privateKey)
    .toString('base64url');
  return `${unsigned}.${signature}`;
}

/** An Octokit acting on `repository` with the credentials: a token, or an App installation token. */
export async function repoClient(
  baseUrl: string,
  credentials: TriggerCredentials,
  repository: string,
  nowMs = Date.now(),
): Promise<Octokit> {
  if (credentials.type === 'token') return octokit(baseUrl, credentials.token);
  if (credentials.type !== 'app') throw new Error('GitHub needs a token or a GitHub App');
  const [owner, repo] = repository.split('/');
  const app = await octokit(baseUrl, appJwt(credentials, nowMs));
  const installationId =
    credentials.installationId ??
    (await call(() => app.rest.apps.getRepoInstallation({ owner, repo }))).data.id;
  const cacheKey = `${baseUrl}|${credentials.appId}|${installationId}`;
  const cached = installationTokens.get(cacheKey);
  if (cached && cached.expiresAt - 5 * 60_000 > nowMs) return octokit(baseUrl, cached.token);
  const { data } = await call(() =>
    app.rest.apps.createInstallationAccessToken({ installation_id: installationId }),
  );
  registerSecret(data.token);
  installationTokens.set(cacheKey, { token: data.token, expiresAt: Date.parse(data.expires_at) });
  return octokit(baseUrl, data.token);
}

/** Runs an Octokit call, mapping its RequestError to our error names. */
export async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const err = e as {
      status?: number;
      response?: { headers?: Record<string, string>; data?: { message?: string } };
      message?: string;
    };
    const http =
      typeof err.status === 'number' ||
      (e as Error)?.name === 'HttpError' ||
      /fetch failed|ECONN|socket|network/i.test(String(err.message));
    if (!http) throw e;
    throw classifyHttpFailure(
      'GitHub',
      err.status || undefined,
      err.response?.headers ?? {},
      err.response?.data?.message ?? (err.status ? '' : String(err.message ?? '')),
      e,
    );
  }
}

export function splitRepository(repository: string): { owner: string; repo: string } {
  const [owner, repo, extra] = repository.split('/');
  if (!owner || !repo || extra !== undefined)
    throw new Error(`repository must be owner/name, got "${repository}"`);
  return { owner, repo };
}
