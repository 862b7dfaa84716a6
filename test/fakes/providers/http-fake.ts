/**
 * The loopback HTTP machinery shared by the provider fakes: a node:http server on 127.0.0.1 (port 0)
 * that records every request, validates it with the provider's rules, and answers with the next
 * scripted scenario (or the default one). Provider modules supply the wire format.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON body (undefined if the body was not JSON). */
  body: any;
}

export interface FakeToolCall {
  id?: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** What a successful answer contains. */
export interface FakeReply {
  text?: string;
  /** Answer with this value as JSON text (structured output). */
  json?: unknown;
  toolCalls?: FakeToolCall[];
  usage?: {
    input?: number;
    output?: number;
    cached?: number;
    cacheWrite?: number;
    reasoning?: number;
  };
  /** The model the provider says answered (defaults to the requested model with a dated suffix). */
  model?: string;
}

export type Scenario =
  | { kind: 'success'; reply?: FakeReply }
  /** 429. `retryAfter` → `Retry-After` header, `retryAfterMs` → `retry-after-ms`, `retryDelay` → Gemini RetryInfo in the body. */
  | { kind: 'throttle'; retryAfter?: string; retryAfterMs?: string; retryDelay?: string }
  /** A provider-shaped server error: 500, 502, 503, 529... */
  | { kind: 'serverError'; status: number }
  /** Accept the request and never answer (the client's timeout must fire). */
  | { kind: 'hang' }
  /** 200 (or `status`) with `content-type: application/json` and a truncated JSON body. */
  | { kind: 'malformed'; status?: number }
  | { kind: 'contextLength' }
  /** `as: 'answer'` (default): a 200 whose answer (Gemini: prompt) was filtered; `'error'`: a 4xx with the provider's filter code (OpenAI); `'candidate'`: Gemini candidate finishReason SAFETY. */
  | { kind: 'contentFilter'; as?: 'answer' | 'error' | 'candidate' }
  /** The provider's answer to a bad key (401 unless `status`); `echoKey` puts the sent key in the message, like a careless proxy. */
  | { kind: 'auth'; status?: number; echoKey?: boolean }
  /** A provider-shaped 4xx that is not any of the above (e.g. unknown model). */
  | { kind: 'badRequest'; status?: number }
  /** Destroy the socket without answering (connection reset). */
  | { kind: 'reset' }
  | { kind: 'raw'; status: number; headers?: Record<string, string>; body: string };

export interface WireResponse {
  status: number;
  headers?: Record<string, string>;
  body: string | object;
  /**
   * Server-Sent Events frames (each a complete `event: …\ndata: …\n\n` block): the response is
   * `text/event-stream`, one frame per write, the server yielding between writes so that clients
   * receive them as separate chunks, like a model generating.
   */
  sse?: string[];
}

export interface ProviderWire {
  /** Check method, path, auth and body shape; return the list of problems (empty when valid). */
  validate(req: RecordedRequest, expectedKey: string | undefined): string[];
  /** The request carries the expected key (a wrong one gets the provider's auth error). */
  keyMatches(req: RecordedRequest, expectedKey: string | undefined): boolean;
  respond(
    scenario: Exclude<Scenario, { kind: 'hang' } | { kind: 'reset' } | { kind: 'raw' }>,
    req: RecordedRequest,
  ): WireResponse;
  /** The provider's answer to requests that failed validation. */
  invalid(problems: string[]): WireResponse;
  /** The base URL to give the SDK, from the server's origin. */
  baseUrl(origin: string): string;
}

export interface FakeServerOptions {
  /** The key the fake accepts. Undefined: any (or no) key. */
  apiKey?: string;
}

export class FakeProviderServer {
  readonly requests: RecordedRequest[] = [];
  /** Shape problems found in requests; tests assert this stays empty. */
  readonly violations: string[] = [];
  private readonly queue: Scenario[] = [];
  private defaultScenario: Scenario = { kind: 'success' };
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  private origin = '';

  constructor(
    private readonly wire: ProviderWire,
    private readonly options: FakeServerOptions = {},
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    return this;
  }

  /** The URL to pass as the adapter's `credentials.baseUrl`. */
  get baseUrl(): string {
    return this.wire.baseUrl(this.origin);
  }

  get calls(): number {
    return this.requests.length;
  }

  /** Answer the next requests with these scenarios, in order; then the default. */
  enqueue(...scenarios: Scenario[]): this {
    this.queue.push(...scenarios);
    return this;
  }

  setDefault(scenario: Scenario): this {
    this.defaultScenario = scenario;
    return this;
  }

  reset(): void {
    this.requests.length = 0;
    this.violations.length = 0;
    this.queue.length = 0;
    this.defaultScenario = { kind: 'success' };
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    if (!this.server) return;
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.origin);
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      rawBody,
      body,
    };
    this.requests.push(recorded);
    const scenario = this.queue.shift() ?? this.defaultScenario;

    if (scenario.kind === 'hang') return; // never answer; close() destroys the socket
    if (scenario.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (scenario.kind === 'raw') {
      res.writeHead(scenario.status, scenario.headers ?? {});
      res.end(scenario.body);
      return;
    }
    const problems = this.wire.validate(recorded, this.options.apiKey);
    if (problems.length) {
      this.violations.push(...problems.map((p) => `${recorded.method} ${recorded.url}: ${p}`));
      return send(res, this.wire.invalid(problems));
    }
    if (scenario.kind !== 'auth' && !this.wire.keyMatches(recorded, this.options.apiKey)) {
      return send(res, this.wire.respond({ kind: 'auth' }, recorded));
    }
    await send(res, this.wire.respond(scenario, recorded));
  }
}

async function send(res: ServerResponse, r: WireResponse): Promise<void> {
  if (r.sse) {
    res.writeHead(r.status, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      ...(r.headers ?? {}),
    });
    for (const frame of r.sse) {
      res.write(frame);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    res.end();
    return;
  }
  const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  res.writeHead(r.status, { 'content-type': 'application/json', ...(r.headers ?? {}) });
  res.end(text);
}

// --- helpers for the wire modules ------------------------------------------------------------

export function header(req: RecordedRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function isObject(v: unknown): v is Record<string, any> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Report fields of `obj` that are not in `allowed`. */
export function unknownFields(
  obj: Record<string, unknown>,
  allowed: readonly string[],
  where: string,
): string[] {
  return Object.keys(obj)
    .filter((k) => !allowed.includes(k))
    .map((k) => `unexpected field ${where}.${k}`);
}

export function usageOf(reply: FakeReply | undefined, text: string) {
  return {
    input: reply?.usage?.input ?? 42,
    output: reply?.usage?.output ?? Math.max(1, Math.ceil(text.length / 4)),
    cached: reply?.usage?.cached ?? 0,
    cacheWrite: reply?.usage?.cacheWrite ?? 0,
    reasoning: reply?.usage?.reasoning ?? 0,
  };
}

export function replyText(reply: FakeReply | undefined, provider: string): string {
  if (reply?.json !== undefined) return JSON.stringify(reply.json);
  if (reply?.text !== undefined) return reply.text;
  return reply?.toolCalls?.length ? '' : `Hello from the fake ${provider} server.`;
}

/** `text` cut into `n` pieces (at least one, possibly empty), the way a model's deltas arrive. */
export function textPieces(text: string, n = 4): string[] {
  if (!text) return [];
  const size = Math.max(1, Math.ceil(text.length / n));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** One SSE frame: an optional `event:` line and a JSON (or literal) `data:` line. */
export function sseFrame(data: unknown, event?: string): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  return `${event ? `event: ${event}\n` : ''}data: ${payload}\n\n`;
}

/** A truncated JSON document, like a proxy that cut the body short. */
export const MALFORMED_JSON =
  '{"id": "resp_trunc", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assis';

export function maskKey(key: string): string {
  return key.length > 8
    ? `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`
    : '****';
}
