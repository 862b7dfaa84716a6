/**
 * A route of the HTTP API: method, path, required role and its zod contracts. Declared once per
 * domain in `shared/api/routes/`; the deployment (infra/manifest.ts) says which function serves it,
 * and `httpHandler` types each implementation from the contracts.
 */
import type * as z from 'zod';
import type { Access } from '../auth/roles';

/**
 * The most a route may raise its body limit to: base64 (API Gateway's encoding of a non-text body)
 * of 4 MiB stays under Lambda's 6 MB synchronous request payload.
 */
export const LARGEST_BODY_BYTES = 4 * 1024 * 1024;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteContract {
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly response?: z.ZodType;
  /** Success status; 200 unless stated. */
  readonly status?: number;
  /** The answer is a stream of Server-Sent Events (text/event-stream), not JSON. */
  readonly stream?: boolean;
  /** The body may also be sent as YAML, and the answer asked for as YAML (files as code, ADR 140). */
  readonly yaml?: boolean;
  /**
   * The body may also be JSON Lines (`application/x-ndjson`): one `inputs` item per line, so the
   * body reaches the contract as `{inputs: [...]}` (batches, ADR 160).
   */
  readonly ndjson?: boolean;
  /**
   * The largest body this route takes, in bytes.
   * @default 1 MiB (MAX_BODY_BYTES)
   */
  readonly maxBodyBytes?: number;
}

export interface RouteSpec extends RouteContract {
  readonly method: HttpMethod;
  /** API Gateway v2 path with `{param}` placeholders. */
  readonly path: string;
  readonly access: Access;
  readonly summary: string;
  /** Raw body kept as text (webhook signatures are computed over the exact bytes). */
  readonly rawBody?: boolean;
}

/** Keeps the literal method, path, access and contract types so handlers can be typed from them. */
export function route<
  const M extends HttpMethod,
  const P extends string,
  const A extends Access,
  const C extends RouteContract & { readonly rawBody?: boolean } = Record<never, never>,
>(
  method: M,
  path: P,
  access: A,
  summary: string,
  contract?: C,
): { readonly method: M; readonly path: P; readonly access: A; readonly summary: string } & C {
  return { method, path, access, summary, ...(contract as C) };
}

/** API Gateway v2 route key, e.g. `GET /v1/agents/{id}`. */
export type RouteKey<R extends RouteSpec> = `${R['method']} ${R['path']}`;

export function routeKey(r: Pick<RouteSpec, 'method' | 'path'>): string {
  return `${r.method} ${r.path}`;
}
