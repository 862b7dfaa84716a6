/**
 * The local API Gateway: turns HTTP requests into API Gateway v2 events for the manifest's
 * handlers and their results back into responses; serves the console's static files beside it.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { allRoutes, type BoundRoute } from '../manifest';
import { MAX_BODY_BYTES } from '../../shared/http/middleware';
import { invoke } from './handlers';

interface CompiledRoute {
  route: BoundRoute;
  pattern: RegExp;
  names: string[];
}

export function compileRoutes(routes: BoundRoute[] = allRoutes()): CompiledRoute[] {
  return routes.map((route) => {
    const names: string[] = [];
    const pattern = new RegExp(
      `^${route.path.replace(/\{(\w+)\}/g, (_, n) => (names.push(n), '([^/]+)'))}$`,
    );
    return { route, pattern, names };
  });
}

/** The route keys this server answers; the parity test compares them with the CDK template. */
export function localRouteKeys(): string[] {
  return compileRoutes()
    .map((c) => c.route.routeKey)
    .sort();
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

export function createApiServer(options: { root: string; webDir?: string }): Server {
  const routes = compileRoutes();
  return createServer((req, res) => {
    handle(routes, options, req, res).catch((error) => {
      send(res, {
        statusCode: 500,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: { code: 'InternalError', message: 'internal error' } }),
      });
      process.stderr.write(`local gateway error: ${(error as Error).stack}\n`);
    });
  });
}

async function handle(
  routes: CompiledRoute[],
  options: { root: string; webDir?: string },
  req: IncomingMessage,
  res: ServerResponse,
) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  const matches = routes.map((c) => ({ c, m: c.pattern.exec(url.pathname) })).filter((x) => x.m);
  if (!matches.length) {
    if (
      (method === 'GET' || method === 'HEAD') &&
      options.webDir &&
      !url.pathname.startsWith('/v1/')
    )
      return serveStatic(options.webDir, url.pathname, res);
    return sendError(res, 404, 'NotFound', `no route ${method} ${url.pathname}`);
  }
  const hit = matches.find((x) => x.c.route.method === method);
  if (!hit) {
    const allow = [...new Set(matches.map((x) => x.c.route.method))].join(', ');
    return sendError(
      res,
      405,
      'MethodNotAllowed',
      `${method} is not allowed on ${url.pathname}; use ${allow}`,
      { allow },
    );
  }
  const body = await readBody(req);
  if (body === null)
    return sendError(res, 413, 'PayloadTooLarge', `request body over ${MAX_BODY_BYTES} bytes`);
  const pathParameters: Record<string, string> = {};
  for (const [i, name] of hit.c.names.entries()) {
    // A bad percent-escape is the caller's 400 (API Gateway refuses it too), never a crash.
    const value = decodeSegment(hit.m?.[i + 1] ?? '');
    if (value === undefined)
      return sendError(res, 400, 'ValidationError', `path.${name}: invalid percent-encoding`);
    pathParameters[name] = value;
  }
  const event = toEvent(req, url, hit.c.route, pathParameters, body);
  const result = (await invoke(
    options.root,
    hit.c.route.functionName,
    event,
  )) as APIGatewayProxyStructuredResultV2;
  send(res, result);
}

function toEvent(
  req: IncomingMessage,
  url: URL,
  route: BoundRoute,
  pathParameters: Record<string, string>,
  body: Buffer,
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
      requestId: randomUUID(),
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

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.resume();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, r: APIGatewayProxyStructuredResultV2) {
  if (res.headersSent) return;
  res.writeHead(r.statusCode ?? 200, {
    'x-content-type-options': 'nosniff',
    ...(r.headers as Record<string, string>),
  });
  res.end(r.body ? (r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body) : undefined);
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  send(res, {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify({ error: { code, message } }),
  });
}

function serveStatic(webDir: string, pathname: string, res: ServerResponse) {
  if (pathname === '/config.json')
    return send(res, {
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify({ apiUrl: '' }),
    });
  const decoded = decodeSegment(pathname);
  if (decoded === undefined)
    return sendError(res, 400, 'ValidationError', 'invalid percent-encoding');
  const safe = normalize(decoded).replace(/^(\.\.[/\\])+/, '');
  let file = join(webDir, safe);
  if (!file.startsWith(webDir) || !existsSync(file) || statSync(file).isDirectory())
    file = join(webDir, 'index.html');
  if (!existsSync(file))
    return sendError(res, 404, 'NotFound', 'the console is not built: run npm run build:web');
  const immutable = file.includes(`${join(webDir, 'assets')}`);
  res.writeHead(200, {
    'content-type': MIME[extname(file)] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
    'content-security-policy':
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
  });
  createReadStream(file).pipe(res);
}

function decodeSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}
