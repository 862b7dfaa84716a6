/**
 * The HTTP API of the template, as API Gateway runs it: a request is matched to a route key
 * (exact segments before `{param}` before `{proxy+}`, then `$default`), turned into the payload
 * format 2.0 event, and its integration function's result into the HTTP response.
 */
import { randomUUID } from 'node:crypto';
import type { Fleet } from './fleet';
import { FunctionError } from './fleet';
import { ACCOUNT, type ApiRoute } from './template';

export interface ApiRequest {
  readonly method: string;
  /** Path with optional query string, e.g. `/v1/agents?limit=5`. */
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  readonly sourceIp?: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The function that answered (undefined when no route matched). */
  readonly function?: string;
}

const TEXT_TYPES =
  /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|.*\+json|.*\+xml)/i;

interface Match {
  readonly route: ApiRoute;
  readonly params: Record<string, string>;
  readonly score: number;
}

export function matchRoute(
  routes: readonly ApiRoute[],
  method: string,
  path: string,
): Match | undefined {
  const segments = path.split('/').filter(Boolean);
  let best: Match | undefined;
  for (const route of routes) {
    if (route.routeKey === '$default') continue;
    const [m, pattern] = route.routeKey.split(' ');
    if (m !== 'ANY' && m !== method) continue;
    const parts = pattern.split('/').filter(Boolean);
    const params: Record<string, string> = {};
    let score = 0;
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const p = parts[i];
      if (p.endsWith('+}')) {
        if (i >= segments.length) ok = false;
        else params[p.slice(1, -2)] = segments.slice(i).map(decodeURIComponent).join('/');
        score += 1;
        if (ok) i = parts.length;
        break;
      }
      if (i >= segments.length) ok = false;
      else if (p.startsWith('{')) {
        params[p.slice(1, -1)] = decodeURIComponent(segments[i]);
        score += 10;
      } else if (p === segments[i]) score += 100;
      else ok = false;
    }
    const greedy = parts.at(-1)?.endsWith('+}');
    if (!ok || (!greedy && parts.length !== segments.length)) continue;
    score += m === method ? 1 : 0;
    if (!best || score > best.score) best = { route, params, score };
  }
  if (best) return best;
  const fallback = routes.find((r) => r.routeKey === '$default');
  return fallback && { route: fallback, params: {}, score: 0 };
}

export class HttpApi {
  constructor(
    readonly routes: readonly ApiRoute[],
    private readonly fleet: Fleet,
    private readonly apiId = 'rehearsal',
  ) {
    for (const r of routes)
      if (r.authorizationType !== 'NONE')
        throw new Error(
          `${r.routeKey}: authorizer ${r.authorizationType} is not rehearsed (add it to infra/rehearsal/api-gateway.ts)`,
        );
  }

  async request(req: ApiRequest): Promise<ApiResponse> {
    const url = new URL(req.path, 'https://api.local');
    const method = req.method.toUpperCase();
    const match = matchRoute(this.routes, method, url.pathname);
    if (!match)
      return {
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: '{"message":"Not Found"}',
      };
    const event = httpEvent(req, url, match.route.routeKey, match.params, this.apiId);
    let result: unknown;
    try {
      result = await this.fleet.invoke(match.route.function, event);
    } catch (e) {
      if (!(e instanceof FunctionError)) throw e;
      // API Gateway hides the function error behind a 500 (the log has it).
      return {
        status: 500,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Internal Server Error', rehearsal: e.message }),
        function: match.route.function,
      };
    }
    return { ...toResponse(result), function: match.route.function };
  }
}

/** The payload format 2.0 event of a request (HTTP APIs and function URLs send the same shape). */
export function httpEvent(
  req: ApiRequest,
  url: URL,
  routeKey: string,
  params: Record<string, string>,
  apiId: string,
): Record<string, unknown> {
  const method = req.method.toUpperCase();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
  const raw = req.body === undefined ? undefined : Buffer.from(req.body);
  const text = raw !== undefined && TEXT_TYPES.test(headers['content-type'] ?? 'application/json');
  if (raw) headers['content-length'] = String(raw.length);
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    cookies: headers.cookie?.split('; '),
    headers: { host: `${apiId}.execute-api.us-east-1.amazonaws.com`, ...headers },
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: Object.keys(params).length ? params : undefined,
    requestContext: {
      accountId: ACCOUNT,
      apiId: apiId,
      domainName: `${apiId}.execute-api.us-east-1.amazonaws.com`,
      domainPrefix: apiId,
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.sourceIp ?? '203.0.113.10',
        userAgent: headers['user-agent'] ?? 'rehearsal',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: raw === undefined ? undefined : text ? raw.toString('utf8') : raw.toString('base64'),
    isBase64Encoded: raw !== undefined && !text,
  };
}

/** Payload format 2.0: a result without `statusCode` is a 200 JSON body of the result itself. */
function toResponse(result: unknown): Omit<ApiResponse, 'function'> {
  const r = result as {
    statusCode?: number;
    headers?: Record<string, string>;
    body?: string;
    isBase64Encoded?: boolean;
    cookies?: string[];
  } | null;
  if (!r || typeof r !== 'object' || r.statusCode === undefined)
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: typeof result === 'string' ? result : JSON.stringify(result),
    };
  const headers = { ...(r.headers ?? {}) };
  if (r.cookies?.length) headers['set-cookie'] = r.cookies.join(', ');
  const body = r.body ?? '';
  return {
    status: r.statusCode,
    headers,
    body: r.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body,
  };
}

/**
 * A function URL (ADR 070's stream): every path goes to its one function, payload format 2.0; with
 * RESPONSE_STREAM the handler writes its status, headers and body to a response stream.
 */
export class FunctionUrl {
  constructor(
    readonly functionName: string,
    readonly invokeMode: string,
    private readonly fleet: Fleet,
  ) {}

  async request(req: ApiRequest): Promise<ApiResponse> {
    const url = new URL(req.path, 'https://url.local');
    const event = httpEvent(req, url, '$default', {}, 'url');
    if (this.invokeMode !== 'RESPONSE_STREAM')
      return {
        ...toResponse(await this.fleet.invoke(this.functionName, event)),
        function: this.functionName,
      };
    let meta = { statusCode: 200, headers: {} as Record<string, string> };
    const chunks: Buffer[] = [];
    await this.fleet.invoke(this.functionName, event, {
      metadata: (m) => {
        meta = m;
      },
      chunk: (b) => chunks.push(b),
    });
    return {
      status: meta.statusCode,
      headers: meta.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      function: this.functionName,
    };
  }
}
