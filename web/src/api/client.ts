/**
 * The HTTP client of the console. It keeps the access token in memory and the rotating refresh
 * token in localStorage, refreshes once on a 401 and retries the request, and makes every
 * concurrent caller share one refresh (a refresh token works once: a second use would revoke
 * the whole family). When refreshing fails the session is over: `onSessionExpired` runs once so
 * the app can go to sign-in, remembering where the user was.
 */
import { ApiError, errorFromResponse } from './errors';
import { TokenStore, type KeyValueStore } from './tokens';
import { typedCall } from './typed';
import type { MfaChallenge, SignInResult, TokenPair } from './types';

export type Query = Record<
  string,
  string | number | boolean | undefined | null | readonly string[]
>;

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  /** Send no credentials and never refresh (login, refresh, signup). */
  anonymous?: boolean;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** A body sent as is (a YAML file being imported) instead of JSON. */
  text?: { body: string; contentType: string };
}

export interface ApiClientOptions {
  baseUrl: string;
  /** Base URL of the streamed routes (a function URL in AWS); defaults to `baseUrl`. */
  streamBaseUrl?: string;
  storage: KeyValueStore;
  fetch?: typeof fetch;
  onSessionExpired?: () => void;
  /** Serializes refreshes across tabs where the Web Locks API exists. */
  locks?: { request<T>(name: string, cb: () => Promise<T>): Promise<T> } | null;
}

export class ApiClient {
  readonly tokens: TokenStore;
  private readonly baseUrl: string;
  private readonly streamBaseUrl: string;
  private readonly fetcher: typeof fetch;
  private readonly locks: ApiClientOptions['locks'];
  private refreshing: Promise<boolean> | null = null;
  private expiredNotified = false;
  onSessionExpired: (() => void) | undefined;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.streamBaseUrl = (options.streamBaseUrl || options.baseUrl).replace(/\/+$/, '');
    this.tokens = new TokenStore(options.storage);
    this.fetcher = options.fetch ?? ((input, init) => fetch(input, init));
    this.onSessionExpired = options.onSessionExpired;
    this.locks = options.locks ?? null;
  }

  /** Whether a session could exist (a refresh token is stored). */
  get hasSession(): boolean {
    return this.tokens.refreshToken !== null;
  }

  url(path: string, query?: Query): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null || value === '') continue;
      params.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    const qs = params.toString();
    return `${this.baseUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return this.parse<T>(await this.respond(method, path, options));
  }

  /** A route's answer as text (a YAML export) rather than parsed JSON. */
  async requestText(method: string, path: string, options: RequestOptions = {}): Promise<string> {
    const res = await this.respond(method, path, options);
    if (!res.ok) throw await errorFromResponse(res);
    return res.text();
  }

  /**
   * Opens a streamed route (Server-Sent Events) with the bearer credential, refreshing once on a
   * 401 like any request; resolves with the open response, or throws its error.
   */
  async openStream(path: string, options: RequestOptions = {}): Promise<Response> {
    const res = await this.respond('GET', path, {
      ...options,
      headers: { ...options.headers, Accept: 'text/event-stream' },
      stream: true,
    });
    if (!res.ok || !res.body) throw await errorFromResponse(res);
    return res;
  }

  private async respond(
    method: string,
    path: string,
    options: RequestOptions & { stream?: boolean },
  ): Promise<Response> {
    if (options.anonymous) return this.send(method, path, options, null);

    if (this.tokens.accessStale && this.tokens.refreshToken) await this.refresh();
    const used = this.tokens.accessToken;
    let res = await this.send(method, path, options, used);
    if (res.status === 401) {
      // Another request may have refreshed while this one was in flight: just retry with the new token.
      const current = this.tokens.accessToken;
      const ok = current !== null && current !== used ? true : await this.refresh();
      if (!ok) throw this.expired();
      res = await this.send(method, path, options, this.tokens.accessToken);
      if (res.status === 401) throw this.expired();
    }
    return res;
  }

  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, { query, signal });
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, { body: body ?? {} });
  }
  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body: body ?? {} });
  }
  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body: body ?? {} });
  }
  delete<T = void>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /**
   * PUT bytes to a URL outside the API (a presigned S3 upload): no credentials, the given
   * Content-Type (it is part of the signature). A network failure usually means the bucket does
   * not allow this origin (CORS).
   */
  async putBytes(url: string, body: Blob, contentType: string): Promise<void> {
    let res: Response;
    try {
      res = await this.fetcher(url, {
        method: 'PUT',
        headers: { 'Content-Type': contentType },
        body,
      });
    } catch {
      throw new ApiError(
        0,
        'UploadFailed',
        'The file could not be sent to storage (network error; the bucket may not accept uploads from this origin).',
      );
    }
    if (!res.ok)
      throw new ApiError(
        res.status,
        'UploadFailed',
        `Storage refused the file (HTTP ${res.status}).`,
      );
  }

  /** Signs in, or answers the second-factor challenge the server asked for (tokens not yet issued). */
  async login(email: string, password: string, tenant?: string): Promise<MfaChallenge | null> {
    const body = { email, password, ...(tenant ? { tenant } : {}) };
    return this.signedIn(
      await typedCall(this, 'post', '/v1/auth/login', { body, anonymous: true }),
    );
  }

  /** Step two of a sign-in: a TOTP or recovery code for the challenge; enrolment yields recovery codes. */
  async verifyMfa(
    mfaToken: string,
    factor: { code?: string; recoveryCode?: string },
  ): Promise<{ challenge: MfaChallenge | null; recoveryCodes?: string[] }> {
    const res = await typedCall(this, 'post', '/v1/auth/mfa', {
      body: { mfaToken, ...factor },
      anonymous: true,
    });
    if ('mfaRequired' in res) return { challenge: res };
    this.accept(res);
    return { challenge: null, recoveryCodes: res.recoveryCodes };
  }

  /** Accepts an invitation as a new account (anonymous) or for the signed-in one. */
  async acceptInvitation(token: string, password?: string): Promise<MfaChallenge | null> {
    return this.signedIn(
      await typedCall(this, 'post', '/v1/invitations/accept', {
        body: password ? { token, password } : { token },
        anonymous: Boolean(password),
      }),
    );
  }

  private signedIn(res: SignInResult): MfaChallenge | null {
    if ('mfaRequired' in res) return res;
    this.accept(res);
    return null;
  }

  async logout(): Promise<void> {
    const refreshToken = this.tokens.refreshToken;
    this.tokens.clear();
    if (!refreshToken) return;
    try {
      await typedCall(this, 'post', '/v1/auth/logout', { body: { refreshToken }, anonymous: true });
    } catch {
      // Signing out locally is what matters; the token expires on its own.
    }
  }

  /**
   * Rotate the refresh token. Concurrent callers share one flight; resolves false when the
   * session cannot be renewed (then the tokens are cleared).
   */
  refresh(): Promise<boolean> {
    if (!this.refreshing) {
      const run = () => this.rotate();
      const flight = this.locks ? this.locks.request('hishamos-refresh', run) : run();
      this.refreshing = flight.finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async rotate(): Promise<boolean> {
    // Read inside the flight (and the cross-tab lock): another tab may have rotated it already.
    const refreshToken = this.tokens.refreshToken;
    if (!refreshToken) return false;
    try {
      // Anonymous: a refresh never triggers another refresh.
      const pair = await typedCall(this, 'post', '/v1/auth/refresh', {
        body: { refreshToken },
        anonymous: true,
      });
      this.accept(pair);
      return true;
    } catch (err) {
      // The server refused this token (used, revoked or expired): the session is over.
      if (err instanceof ApiError && [400, 401, 403].includes(err.status)) this.tokens.clear();
      return false;
    }
  }

  private accept(pair: TokenPair): void {
    this.tokens.set(pair.accessToken, pair.refreshToken, pair.expiresIn);
    this.expiredNotified = false;
  }

  private expired(): ApiError {
    this.tokens.clear();
    if (!this.expiredNotified) {
      this.expiredNotified = true;
      this.onSessionExpired?.();
    }
    return new ApiError(401, 'SessionExpired', 'Your session has ended. Please sign in again.');
  }

  private send(
    method: string,
    path: string,
    options: RequestOptions & { stream?: boolean },
    token: string | null,
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.text) headers['Content-Type'] = options.text.contentType;
    if (token) headers.Authorization = `Bearer ${token}`;
    const url = this.url(path, options.query);
    return this.fetcher(
      options.stream ? this.streamBaseUrl + url.slice(this.baseUrl.length) : url,
      {
        method,
        headers,
        body:
          options.text?.body ??
          (options.body === undefined ? undefined : JSON.stringify(options.body)),
        signal: options.signal,
      },
    );
  }

  private async parse<T>(res: Response): Promise<T> {
    if (!res.ok) throw await errorFromResponse(res);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
