/**
 * A tiny loopback HTTP server for API fakes: records every request, runs the fake's router, and
 * can be scripted to fail the next N matching requests with a status (to exercise ASL Retry).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: any;
  /** What the fake answered. */
  status?: number;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as is instead of `body` as JSON (a diff, a raw file). */
  raw?: string;
}
export type Router = (req: Recorded) => Reply | Promise<Reply>;

export interface Loopback {
  url: string;
  requests: Recorded[];
  /** Request-shape problems the fake found (a test asserts this stays empty). */
  problems: string[];
  /** The next `count` requests whose `METHOD path` matches answer `status` (default: any request). */
  failNext(status: number, count?: number, match?: RegExp): void;
  close(): Promise<void>;
}

export async function startLoopback(router: Router): Promise<Loopback> {
  const requests: Recorded[] = [];
  const problems: string[] = [];
  const failures: { status: number; left: number; match?: RegExp }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        problems.push(`${req.method} ${url.pathname}: body is not JSON`);
      }
      const rec: Recorded = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
      };
      requests.push(rec);
      const failure = failures.find(
        (f) => f.left > 0 && (!f.match || f.match.test(`${rec.method} ${rec.path}`)),
      );
      let reply: Reply;
      if (failure) {
        failure.left--;
        reply = { status: failure.status, body: { message: `scripted ${failure.status}` } };
      } else {
        try {
          reply = await router(rec);
        } catch (e) {
          problems.push(`${rec.method} ${rec.path}: ${(e as Error).message}`);
          reply = { status: 422, body: { message: (e as Error).message } };
        }
      }
      rec.status = reply.status;
      res.writeHead(reply.status, {
        'content-type': 'application/json; charset=utf-8',
        ...reply.headers,
      });
      res.end(reply.raw ?? (reply.body === undefined ? undefined : JSON.stringify(reply.body)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    problems,
    failNext(status, count = 1, match) {
      failures.push({ status, left: count, match });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Throws (→ a recorded problem and a 422) when a request-shape expectation fails. */
export function expectShape(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
