/**
 * The local API Gateway: turns HTTP requests into API Gateway v2 events for the manifest's
 * handlers and their results back into responses; serves the console's static files beside it.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { allRoutes, functions, type BoundRoute } from '../manifest';
import { MAX_BODY_BYTES } from '../../shared/http/middleware';
import type { MetadataSink, ResponseMetadata } from '../../shared/http/lambda-streaming';
import { requestIdFrom } from '../../shared/observability/context';
import { invoke, invokeStream } from './handlers';

interface CompiledRoute {
  route: BoundRoute;
  pattern: RegExp;
  names: string[];
}

export function compileRoutes(routes: BoundRoute[] = allRoutes()): CompiledRoute[] {
  return routes.map((route) => {
    const names: string[] = [];
    const pattern = new RegExp(
      `^${route.path.replace(/\{(\w+)\}/g, (_, n: string) => {
        names.push(n);
        return '([^/]+)';
      })}$`,
    );
    return { route, pattern, names };
  });
}

const isStreamed = (route: BoundRoute) => functions[route.functionName].kind === 'stream';

/**
 * The route keys this server answers through the HTTP API; the parity test compares them with the
 * CDK template. Streamed routes are served by function URLs in AWS and are checked separately.
 */
export function localRouteKeys(): string[] {
  return compileRoutes()
    .filter((c) => !isStreamed(c.route))
    .map((c) => c.route.routeKey)
    .sort();
}

/** Local-only endpoints beside the manifest routes (Prometheus scraping). */
export interface LocalEndpoints {
  /** `GET /metrics`: the status and body to answer, given the Authorization header. */
  metrics?: (authorization: string | undefined) => Promise<{ status: number; body: string }>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

interface ServerOptions {
  root: string;
  webDir?: string;
  /** The S3 endpoint's origin, allowed in the console's connect-src for presigned uploads. */
  storageOrigin?: string;
  endpoints?: LocalEndpoints;
}

export function createApiServer(options: ServerOptions): Server {
  const routes = compileRoutes();
  const server = createServer((req, res) => {
    // Every answer carries a request id: the client's when it sent one, else a fresh one.
    const requestId = requestIdFrom(header(req, 'x-request-id'), randomUUID());
    res.setHeader('x-request-id', requestId);
    handle(routes, options, req, res, requestId).catch((error) => {
      send(req, res, {
        statusCode: 500,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: { code: 'InternalError', message: 'internal error' } }),
      });
      process.stderr.write(`local gateway error: ${(error as Error).stack}\n`);
    });
  });
  // Idle connections outlive the clients' own keep-alive (undici 4 s, browsers longer, as API
  // Gateway's do): a client never reuses a socket the server is closing, which, with the event
  // loop busy, reset requests (ECONNRESET) at the 5 s default.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

async function handle(
  routes: CompiledRoute[],
  options: ServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  if (url.pathname === '/metrics' && options.endpoints?.metrics && method === 'GET') {
    const out = await options.endpoints.metrics(header(req, 'authorization'));
    return send(req, res, {
      statusCode: out.status,
      headers: {
        'content-type':
          out.status === 200
            ? 'text/plain; version=0.0.4; charset=utf-8'
            : 'application/json; charset=utf-8',
        'cache-control': 'no-store',
      },
      body: out.body,
    });
  }
  const matches = routes.map((c) => ({ c, m: c.pattern.exec(url.pathname) })).filter((x) => x.m);
  if (!matches.length) {
    if (
      (method === 'GET' || method === 'HEAD') &&
      options.webDir &&
      !url.pathname.startsWith('/v1/')
    )
      return serveStatic({ ...options, webDir: options.webDir }, url.pathname, req, res);
    return sendError(req, res, 404, 'NotFound', `no route ${method} ${url.pathname}`);
  }
  const hit = matches.find((x) => x.c.route.method === method);
  if (!hit) {
    const allow = [...new Set(matches.map((x) => x.c.route.method))].join(', ');
    return sendError(
      req,
      res,
      405,
      'MethodNotAllowed',
      `${method} is not allowed on ${url.pathname}; use ${allow}`,
      { allow },
    );
  }
  const limit = hit.c.route.maxBodyBytes ?? MAX_BODY_BYTES;
  const body = await readBody(req, limit);
  if (body === null)
    return sendError(req, res, 413, 'PayloadTooLarge', `request body over ${limit} bytes`);
  if (isStreamed(hit.c.route)) {
    // As a Lambda function URL sees it: no route key, no path parameters (the handler matches).
    const event = toEvent(req, url, hit.c.route, {}, body, requestId);
    const stream = new LocalResponseStream(res);
    req.on('close', () => stream.destroy());
    await invokeStream(
      options.root,
      hit.c.route.functionName,
      {
        ...event,
        routeKey: '$default',
        requestContext: { ...event.requestContext, routeKey: '$default' },
      },
      stream,
    );
    // The handler ended its stream (Lambda does the same when the handler returns): let the
    // queued writes drain before the response closes.
    if (!stream.writableEnded) stream.end();
    await finished(stream).catch(() => undefined);
    return;
  }
  const pathParameters: Record<string, string> = {};
  for (const [i, name] of hit.c.names.entries()) {
    // A bad percent-escape is the caller's 400 (API Gateway refuses it too), never a crash.
    const value = decodeSegment(hit.m?.[i + 1] ?? '');
    if (value === undefined)
      return sendError(req, res, 400, 'ValidationError', `path.${name}: invalid percent-encoding`);
    pathParameters[name] = value;
  }
  const event = toEvent(req, url, hit.c.route, pathParameters, body, requestId);
  const result = (await invoke(
    options.root,
    hit.c.route.functionName,
    event,
  )) as APIGatewayProxyStructuredResultV2;
  send(req, res, result);
}

/**
 * The response stream a streaming handler writes to, over the HTTP response: the metadata
 * (`awslambda.HttpResponseStream.from`) becomes the status line and headers, each write is sent
 * at once. Destroyed when the client goes away, which the handler sees as `close`.
 */
class LocalResponseStream extends Writable implements MetadataSink {
  constructor(private readonly res: ServerResponse) {
    super();
    res.on('close', () => this.destroy());
  }
  setMetadata(metadata: ResponseMetadata) {
    if (!this.res.headersSent)
      this.res.writeHead(metadata.statusCode, {
        'x-content-type-options': 'nosniff',
        ...metadata.headers,
      });
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (e?: Error) => void) {
    if (!this.res.headersSent) this.res.writeHead(200);
    if (this.res.writableEnded || this.res.destroyed) return callback();
    this.res.write(chunk, () => callback());
  }
  override _final(callback: (e?: Error) => void) {
    this.res.end(() => callback());
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function toEvent(
  req: IncomingMessage,
  url: URL,
  route: BoundRoute,
  pathParameters: Record<string, string>,
  body: Buffer,
  requestId: string,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] !== undefined ? `${query[k]},${v}` : v;
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: route.routeKey,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...(body.length
      ? { body: body.toString('base64'), isBase64Encoded: true }
      : { isBase64Encoded: false }),
  } as APIGatewayProxyEventV2;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        resolve(null);
        req.resume();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(req: IncomingMessage, res: ServerResponse, r: APIGatewayProxyStructuredResultV2) {
  if (res.headersSent) return;
  const headers: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    ...(r.headers as Record<string, string>),
  };
  let body: Buffer | undefined = r.body
    ? r.isBase64Encoded
      ? Buffer.from(r.body, 'base64')
      : Buffer.from(r.body)
    : undefined;
  if (body) {
    const encoded = compress(req, body, headers['content-type']);
    if (encoded) {
      body = encoded.body;
      headers['content-encoding'] = encoded.encoding;
      headers.vary = 'accept-encoding';
    }
  }
  res.writeHead(r.statusCode ?? 200, headers);
  res.end(body);
}

const COMPRESSIBLE = /^(text\/|application\/(json|javascript)|image\/svg)/;
const MIN_COMPRESS_BYTES = 1024;

/** Brotli when the client takes it, else gzip; small and already-compressed bodies go as they are. */
function compress(
  req: IncomingMessage,
  body: Buffer,
  type: string | undefined,
): { body: Buffer; encoding: string } | undefined {
  if (body.length < MIN_COMPRESS_BYTES || !type || !COMPRESSIBLE.test(type)) return undefined;
  if (type.startsWith('text/event-stream')) return undefined;
  const accepted = (header(req, 'accept-encoding') ?? '').toLowerCase();
  if (/\bbr\b/.test(accepted))
    return {
      body: brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } }),
      encoding: 'br',
    };
  if (/\bgzip\b/.test(accepted)) return { body: gzipSync(body), encoding: 'gzip' };
  return undefined;
}

function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  send(req, res, {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify({ error: { code, message } }),
  });
}

/**
 * The console's CSP. `connect-src` names the storage origin too: the console PUTs uploads straight
 * to presigned URLs there (ADR 074).
 */
export function consoleCsp(storageOrigin?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    `connect-src 'self'${storageOrigin ? ` ${storageOrigin}` : ''}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join('; ');
}

function serveStatic(
  options: ServerOptions & { webDir: string },
  pathname: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const { webDir } = options;
  if (pathname === '/config.json')
    return send(req, res, {
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify({ apiUrl: '' }),
    });
  // The API reference: a directory page, so its relative assets need the trailing slash.
  if (pathname === '/docs')
    return send(req, res, { statusCode: 301, headers: { location: '/docs/' }, body: '' });
  const decoded = decodeSegment(pathname === '/docs/' ? '/docs/index.html' : pathname);
  if (decoded === undefined)
    return sendError(req, res, 400, 'ValidationError', 'invalid percent-encoding');
  const safe = normalize(decoded).replace(/^(\.\.[/\\])+/, '');
  let file = join(webDir, safe);
  let status = 200;
  if (!file.startsWith(webDir) || !existsSync(file) || statSync(file).isDirectory()) {
    // The console routes by hash: any other path is a page that does not exist. It gets the
    // console (which shows its not-found page) with a 404, and absolute asset URLs, because the
    // relative ones would resolve under the unknown path.
    if (pathname !== '/' && pathname !== '/index.html') status = 404;
    file = join(webDir, 'index.html');
  }
  if (!existsSync(file))
    return sendError(req, res, 404, 'NotFound', 'the console is not built: run npm run build:web');
  const immutable = file.includes(`${join(webDir, 'assets')}`);
  let body = readFileSync(file);
  if (status === 404)
    body = Buffer.from(
      body
        .toString('utf8')
        .replace(/(src|href)="\.\//g, '$1="/')
        .replace('</head>', '<meta name="hishamos-status" content="404" /></head>'),
    );
  send(req, res, {
    statusCode: status,
    headers: {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'content-security-policy': consoleCsp(options.storageOrigin),
    },
    body: body.toString('base64'),
    isBase64Encoded: true,
  });
}

function decodeSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}
