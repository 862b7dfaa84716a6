/**
 * Calls typed by the OpenAPI document (ADR 141): the path is one of the document's paths, the
 * params, query and body are what that operation declares, and the result is its success body,
 * all from `generated/openapi.ts`. Requests still go through `ApiClient` (tokens, refresh, errors).
 */
import type { ApiClient } from './client';
import type { paths } from './generated/openapi';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The paths that have operation `M`. */
export type PathOf<M extends Method> = {
  [P in keyof paths]: paths[P][M] extends { responses: unknown } ? P : never;
}[keyof paths];
type Op<M extends Method, P extends PathOf<M>> = paths[P][M];

type PathParams<O> = O extends { parameters: { path: infer X } } ? X : never;
type QueryOf<O> = O extends { parameters: { query?: infer X } } ? X : never;
type BodyOf<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? B
  : never;
/** The JSON body operation `M path` takes. */
export type RequestBody<M extends Method, P extends PathOf<M>> = BodyOf<Op<M, P>>;
type Json<R> = R extends { content: { 'application/json': infer B } } ? B : undefined;
/** The body of the operation's success answer (200, 201 or 202), or nothing for a 204. */
export type Ok<O> = O extends { responses: infer R }
  ? 200 extends keyof R
    ? Json<R[200]>
    : 201 extends keyof R
      ? Json<R[201]>
      : 202 extends keyof R
        ? Json<R[202]>
        : undefined
  : never;

/** Only the parts an operation has are asked for (and then required where it requires them). */
export type Args<O> = ([PathParams<O>] extends [never] ? unknown : { params: PathParams<O> }) &
  ([QueryOf<O>] extends [never] ? unknown : { query?: QueryOf<O> }) &
  ([BodyOf<O>] extends [never] ? unknown : { body: BodyOf<O> }) & { signal?: AbortSignal };

/** `/v1/agents/{id}` with `{id: 'pm'}` → `/v1/agents/pm` (each value URL-encoded). */
export function fillPath(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined || value === null) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}

export function typedCall<M extends Method, P extends PathOf<M>>(
  c: ApiClient,
  method: M,
  path: P,
  args: Args<Op<M, P>>,
): Promise<Ok<Op<M, P>>> {
  const a = args as { params?: Record<string, unknown>; query?: object; body?: unknown };
  return c.request<Ok<Op<M, P>>>(method.toUpperCase(), fillPath(path, a.params), {
    query: a.query as Record<string, string | number | boolean | undefined>,
    body: method === 'get' || method === 'delete' ? undefined : (a.body ?? {}),
    signal: (args as { signal?: AbortSignal }).signal,
  });
}
