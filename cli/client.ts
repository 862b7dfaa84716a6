/**
 * The CLI's HTTP client: bearer credentials from the saved profile (an API key, or an access token
 * with its rotating refresh token), one refresh on a 401, errors as the API names them.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface Profile {
  url: string;
  /** Base URL of the streamed routes when it differs (a function URL in AWS). */
  streamUrl?: string;
  apiKey?: string;
  accessToken?: string;
  refreshToken?: string;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class ApiFailure extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(
      `${code} (HTTP ${status}): ${message}${details.map((d) => `\n  ${d.path}: ${d.message}`).join('')}`,
    );
  }
}

export async function loadProfile(path: string): Promise<Profile | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Profile;
  } catch {
    return undefined;
  }
}

export async function saveProfile(path: string, profile: Profile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
  // The file holds a credential: owner-only even if it existed with wider permissions.
  await chmod(path, 0o600);
}

export class Client {
  constructor(
    private profile: Profile,
    private readonly persist: (p: Profile) => Promise<void>,
  ) {}

  get url(): string {
    return this.profile.url;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    const text = await res.text();
    const json = text ? safeJson(text) : undefined;
    if (!res.ok) throw failure(res.status, json, text);
    return json as T;
  }

  /** Opens a streamed route; resolves with the open response. */
  async stream(path: string, headers: Record<string, string>, signal: AbortSignal) {
    const base = (this.profile.streamUrl || this.profile.url).replace(/\/+$/, '');
    const res = await this.send(
      'GET',
      path,
      undefined,
      { ...headers, accept: 'text/event-stream' },
      base,
      signal,
    );
    if (!res.ok || !res.body) {
      const text = await res.text();
      throw failure(res.status, safeJson(text), text);
    }
    return res;
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
    base = this.profile.url.replace(/\/+$/, ''),
    signal?: AbortSignal,
  ): Promise<Response> {
    const go = () =>
      fetch(`${base}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(this.credential() ? { authorization: `Bearer ${this.credential()}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      }).catch((e: Error) => {
        throw new CliError(`cannot reach ${base}: ${e.message}`);
      });
    let res = await go();
    if (res.status === 401 && !this.profile.apiKey && this.profile.refreshToken) {
      if (await this.refresh()) res = await go();
    }
    return res;
  }

  private credential(): string | undefined {
    return this.profile.apiKey ?? this.profile.accessToken;
  }

  private async refresh(): Promise<boolean> {
    const res = await fetch(`${this.profile.url.replace(/\/+$/, '')}/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: this.profile.refreshToken }),
    });
    if (!res.ok) return false;
    const pair = (await res.json()) as { accessToken: string; refreshToken: string };
    this.profile = { ...this.profile, ...pair };
    await this.persist(this.profile);
    return true;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function failure(status: number, json: unknown, text: string): ApiFailure {
  const e = (json as { error?: { code?: string; message?: string; details?: [] } } | undefined)
    ?.error;
  return new ApiFailure(
    status,
    e?.code ?? `Http${status}`,
    e?.message ?? (text.slice(0, 200) || 'request failed'),
    e?.details ?? [],
  );
}
