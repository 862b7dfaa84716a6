/**
 * The platform adapter between API Gateway v2 and domain code: resolves the manifest route, parses
 * and validates params, query and body with the route's zod contract, authenticates, enforces the
 * manifest role, and maps errors. Route implementations see plain objects, never AWS types.
 */
import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type * as z from 'zod';
import { routeKey, type RouteKey, type RouteSpec } from '../api/route';
import { deepStrict } from '../api/strict';
import type { AuthContext } from '../auth/context';
import { authenticate } from '../auth/authenticate';
import { roleAllows } from '../auth/roles';
import { Forbidden, NotFound, RateLimited } from '../errors';
import { addLogContext, logContext, requestIdFrom, withLogContext } from '../observability/context';
import { metrics } from '../observability/metrics';
import { flushTraces, inRequestSpan } from '../observability/tracing';
import { platform, type Platform } from '../platform/platform';
import { fromZod } from './error-mapping';
import { consume, type Limit } from '../ratelimit/fixed-window';
import { assertStorable, storableJson } from './input-guard';
import { bodyOf, errorResponder, jsonBody, jsonResponse, textResponse } from './middleware';

type Parsed<S, Otherwise> = S extends z.ZodType ? z.output<S> : Otherwise;

/** What an implementation of route `R` receives: params, query and body parsed by its contracts. */
export interface Request<R extends RouteSpec = RouteSpec> {
  params: Parsed<R['params'], Record<string, never>>;
  query: Parsed<R['query'], Record<string, never>>;
  /** The parsed body; routes without a body contract get the JSON as sent (webhooks verify it). */
  body: Parsed<R['body'], unknown>;
  rawBody: string;
  headers: Record<string, string | undefined>;
  /** The caller; null only on public routes. */
  auth: R['access'] extends 'public' ? AuthContext | null : AuthContext;
  platform: Platform;
  requestId: string;
  sourceIp: string;
}

/** What an implementation may return instead of a bare body. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** A body that is already text in another format (a YAML export), sent as is. */
export class TextReply {
  constructor(
    readonly text: string,
    readonly contentType: string,
    readonly headers: Record<string, string> = {},
    readonly status = 200,
  ) {}
}

/** The body a route answers with, as its response contract accepts it (dates may still be Dates). */
type Answer<R extends RouteSpec> = R['response'] extends z.ZodType
  ? z.input<R['response']> | Reply | TextReply
  : unknown;

/** One implementation per route: a missing or an extra route key is a compile error. */
export type RouteImpls<Routes extends readonly RouteSpec[]> = {
  [R in Routes[number] as RouteKey<R>]: (req: Request<R>) => Promise<Answer<R>>;
};

type AnyImpl = (req: Omit<Request, 'auth'> & { auth: AuthContext | null }) => Promise<unknown>;

export function httpHandler<const Routes extends readonly RouteSpec[]>(
  declared: Routes,
  implementations: NoInfer<RouteImpls<Routes>>,
) {
  // The mapped type above is what callers are checked against; at run time it is a plain table.
  const impls = implementations as unknown as Record<string, AnyImpl>;
  const routes = new Map<string, RouteSpec>(declared.map((r) => [routeKey(r), r]));
  for (const key of routes.keys())
    if (!impls[key]) throw new Error(`no implementation for route ${key}`);
  for (const key of Object.keys(impls))
    if (!routes.has(key)) throw new Error(`${key} is not a route of this handler`);
  const rawBodyRoutes = [...routes.values()].some((r) => r.rawBody);
  const yamlRoutes = new Set([...routes].filter(([, r]) => r.yaml).map(([key]) => key));
  const ndjsonRoutes = new Set([...routes].filter(([, r]) => r.ndjson).map(([key]) => key));
  const bodyLimits = new Map(
    [...routes].flatMap(([key, r]) => (r.maxBodyBytes ? [[key, r.maxBodyBytes] as const] : [])),
  );
  // Every body is strict, nested objects included: an unknown field is a 400 naming it.
  const bodies = new Map(
    [...routes].flatMap(([key, r]) => (r.body ? [[key, deepStrict(r.body)] as const] : [])),
  );

  const mw = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(errorResponder(async () => (await platform()).log))
    .use(jsonBody({ rawBody: rawBodyRoutes, yamlRoutes, ndjsonRoutes, bodyLimits }))
    .handler(async (event) => {
      const route = routes.get(event.routeKey);
      if (!route) throw new NotFound(`no route ${event.routeKey}`);
      const p = await platform();
      const headers = lowerCase(event.headers ?? {});
      const sourceIp = event.requestContext?.http?.sourceIp ?? '';
      const auth = await admit(p, route, headers, sourceIp);
      const body = bodyOf(event);
      const pathParameters = event.pathParameters ?? {};
      const queryParameters = event.queryStringParameters ?? {};
      // Text that cannot be stored is refused by name; a signed webhook is taken as sent, cleaned.
      assertStorable(pathParameters, 'path');
      assertStorable(queryParameters, 'query');
      if (route.rawBody) body.json = storableJson(body.json);
      else assertStorable(body.json, 'body');
      const result = await impls[event.routeKey]({
        params: parse(route.params, pathParameters, 'path'),
        query: parse(route.query, queryParameters, 'query'),
        body: route.body ? parse(bodies.get(event.routeKey), body.json ?? {}, 'body') : body.json,
        rawBody: body.raw,
        headers,
        auth,
        platform: p,
        requestId: logContext().requestId ?? '',
        sourceIp,
      });
      if (result instanceof Reply) return jsonResponse(result.status, result.body, result.headers);
      if (result instanceof TextReply)
        return textResponse(result.status, result.text, result.contentType, result.headers);
      return jsonResponse(route.status ?? 200, result);
    });
  // Every answer, errors included, carries the request id its log lines carry.
  return async (event: APIGatewayProxyEventV2, context: Context) => {
    const requestId = requestIdOf(event);
    const started = performance.now();
    return withLogContext({ requestId }, () =>
      inRequestSpan(
        event.routeKey,
        {
          'http.request.method': event.requestContext?.http?.method ?? '',
          'http.route': event.routeKey,
          'hishamos.request_id': requestId,
        },
        async (span) => {
          const result = await mw(event, context);
          span.setAttribute('http.response.status_code', result.statusCode ?? 200);
          (await platform()).log.debug('request', {
            route: event.routeKey,
            status: result.statusCode,
            latencyMs: Math.round(performance.now() - started),
          });
          return { ...result, headers: { ...result.headers, 'x-request-id': requestId } };
        },
      ).finally(flushTraces),
    );
  };
}

export function requestIdOf(event: APIGatewayProxyEventV2): string {
  const header = Object.entries(event.headers ?? {}).find(
    ([k]) => k.toLowerCase() === 'x-request-id',
  )?.[1];
  return requestIdFrom(header, event.requestContext?.requestId || randomUUID());
}

/** Authentication, rate limits and the route's role: the same gate for buffered and streamed routes. */
export async function admit(
  p: Platform,
  route: RouteSpec,
  headers: Record<string, string | undefined>,
  sourceIp: string,
): Promise<AuthContext | null> {
  const auth = route.access === 'public' ? null : await authenticate(p, headers.authorization);
  if (auth) addLogContext({ tenantId: auth.tenantId });
  try {
    await consume(p.dynamo, p.config.TABLE_NAME, limitsFor(p, route, auth, sourceIp), p.now());
  } catch (error) {
    if (error instanceof RateLimited)
      metrics().count('rate_limit_rejections', 1, { route: route.path });
    throw error;
  }
  if (auth && !roleAllows(auth.role, route.access))
    throw new Forbidden(
      `${route.method} ${route.path} needs role ${route.access}; you are ${auth.role}`,
    );
  return auth;
}

/**
 * Per credential and per tenant for authenticated routes; per source IP on the sign-in routes
 * (password guessing). Health, OpenAPI and webhooks (GitHub/Jira send from shared IP ranges and
 * are deduplicated and verified instead) are not limited.
 */
function limitsFor(p: Platform, route: RouteSpec, auth: AuthContext | null, ip: string): Limit[] {
  if (auth) {
    const principal = auth.via === 'apiKey' ? `apikey:${auth.apiKeyId}` : `user:${auth.userId}`;
    return [
      { key: principal, perMinute: p.config.RATE_LIMIT_PER_MINUTE },
      { key: `tenant:${auth.tenantId}`, perMinute: p.config.TENANT_RATE_LIMIT_PER_MINUTE },
    ];
  }
  return route.path.startsWith('/v1/auth/') && ip
    ? [{ key: `ip:${ip}`, perMinute: p.config.AUTH_RATE_LIMIT_PER_MINUTE }]
    : [];
}

export function parse<T>(
  schema: z.ZodType<T> | undefined,
  value: unknown,
  where: 'body' | 'query' | 'path',
): T {
  if (!schema) return value as T;
  const out = schema.safeParse(value);
  if (!out.success) throw fromZod(out.error, where);
  return out.data;
}

export function lowerCase(
  headers: Record<string, string | undefined>,
): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
