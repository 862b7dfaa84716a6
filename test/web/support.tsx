/**
 * Test support for the console's component tests: jsdom polyfills React Flow needs, a scripted
 * fetch, and a rendered app around a page with a real ApiClient.
 */
import { configure, render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { ApiClient } from '../../web/src/api/client';
import { createApi, type Api } from '../../web/src/api/endpoints';
import type { Role } from '../../web/src/api/types';
import { ApiProvider } from '../../web/src/session/ApiContext';
import { StaticSession } from '../../web/src/session/SessionContext';

// waitFor/findBy give up after 1 s by default; a loaded 2-core CI machine can need longer. This is a
// ceiling on waiting, not a timing assertion: passing tests finish as soon as the DOM is right.
configure({ asyncUtilTimeout: 10_000 });

/** jsdom lacks what React Flow measures with. */
export function polyfillFlow(): void {
  const g = globalThis as Record<string, unknown>;
  g.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
  g.DOMMatrixReadOnly ??= class {
    m22: number;
    constructor(transform?: string) {
      const scale = /scale\(([\d.]+)/.exec(transform ?? '')?.[1];
      this.m22 = scale ? Number(scale) : 1;
    }
  };
  (SVGElement.prototype as unknown as { getBBox: () => object }).getBBox ??= () => ({
    x: 0,
    y: 0,
    width: 0,
    height: 0,
  });
}

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  auth: string | null;
  body: unknown;
  /** The full URL asked for (requests outside the API, e.g. presigned uploads, have their own host). */
  url: string;
  contentType: string | null;
}

/** JSON bodies parsed; anything else (a file being uploaded) as it was sent. */
function bodyOf(body: unknown): unknown {
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** `text` answers with that text as is (a YAML export) instead of `body` as JSON. */
type Answer = { status: number; body?: unknown; text?: string };
export type Responder = (call: Call) => Answer | Promise<Answer>;

/** A fetch that records every call and answers from `respond`. */
export function scriptedFetch(respond: Responder) {
  const calls: Call[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://console.test');
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const call: Call = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      auth: headers.Authorization ?? null,
      body: bodyOf(init?.body),
      url: String(input),
      contentType: headers['Content-Type'] ?? null,
    };
    calls.push(call);
    const { status, body, text } = await respond(call);
    return fakeResponse(status, body, text);
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

/** jsdom has no fetch Response; the client reads only these members. */
function fakeResponse(status: number, body: unknown, raw?: string): Response {
  const text = raw ?? (body === undefined ? '' : JSON.stringify(body));
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: String(status),
    json: async () => JSON.parse(text),
    text: async () => text,
  } as Response;
}

export function memoryStorage(initial: Record<string, string> = {}) {
  const map = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    map,
  };
}

export function apiWith(
  respond: Responder,
  storage = memoryStorage({ 'hishamos.refreshToken': 'refresh-token-0000000000000' }),
): { api: Api; calls: Call[]; client: ApiClient } {
  const { fetch, calls } = scriptedFetch(respond);
  const client = new ApiClient({ baseUrl: '', storage, fetch });
  return { api: createApi(client), calls, client };
}

export function renderWithApi(ui: ReactElement, api: Api, role: Role = 'owner') {
  return render(
    <ApiProvider api={api}>
      <StaticSession value={{ role }}>{ui}</StaticSession>
    </ApiProvider>,
  );
}

export const tokens = (n: number) => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-token-${n}`.padEnd(24, '0'),
  expiresIn: 1800,
  tokenType: 'Bearer',
});

export const error = (
  status: number,
  code: string,
  message: string,
  details?: { path: string; message: string }[],
) => ({ status, body: { error: { code, message, details } } });
