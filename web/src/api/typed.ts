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
/** The query operation `M path` takes. */
export type Query<M extends Method, P extends PathOf<M>> = QueryOf<Op<M, P>>;
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
/** The success body of operation `M path`. */
export type Answer<M extends Method, P extends PathOf<M>> = Ok<Op<M, P>>;

/** Only the parts an operation has are asked for (and then required where it requires them). */
export type Args<O> = ([PathParams<O>] extends [never] ? unknown : { params: PathParams<O> }) &
  ([QueryOf<O>] extends [never] ? unknown : { query?: QueryOf<O> }) &
  ([BodyOf<O>] extends [never] ? unknown : { body: BodyOf<O> }) & {
    signal?: AbortSignal;
    /** Sign-in routes: no credentials, never a refresh. */
    anonymous?: boolean;
  };

type HeadersOf<O> = O extends { parameters: { header?: infer H } }
  ? [H] extends [never]
    ? unknown
    : { headers?: H }
  : unknown;
/** The request content types other than JSON that an operation accepts (a YAML file). */
type TextTypes<O> = O extends { requestBody: { content: infer C } }
  ? Exclude<keyof C, 'application/json'> & string
  : never;
/** Every request content type an operation declares. */
type RequestTypes<O> = O extends { requestBody: { content: infer C } } ? keyof C & string : never;
/** The success content types an operation answers with other than JSON (YAML, event streams). */
type TextAnswers<O> = O extends { responses: { 200: { content: infer C } } }
  ? Exclude<keyof C, 'application/json'> & string
  : never;

/** The paths whose operation `M` takes a text body (a file being imported). */
export type TextBodyPathOf<M extends Method> = {
  [P in PathOf<M>]: [TextTypes<Op<M, P>>] extends [never] ? never : P;
}[PathOf<M>];
/** The GET paths that answer in a text format (a YAML export, an event stream). */
export type TextAnswerPath = {
  [P in PathOf<'get'>]: [TextAnswers<Op<'get', P>>] extends [never] ? never : P;
}[PathOf<'get'>];
/** The GET paths that answer with Server-Sent Events. */
export type StreamPath = {
  [P in TextAnswerPath]: 'text/event-stream' extends TextAnswers<Op<'get', P>> ? P : never;
}[TextAnswerPath];

/** `/v1/agents/{id}` with `{id: 'pm'}` → `/v1/agents/pm` (each value URL-encoded). */
export function fillPath(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined || value === null) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}

type Loose = {
  params?: Record<string, unknown>;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  anonymous?: boolean;
  headers?: Record<string, string>;
};

export function typedCall<M extends Method, P extends PathOf<M>>(
  c: ApiClient,
  method: M,
  path: P,
  args: Args<Op<M, P>>,
): Promise<Ok<Op<M, P>>> {
  // The generics are checked at the call site; below they are the same values, loosely typed.
  const a: Loose = args;
  return c.request<Ok<Op<M, P>>>(method.toUpperCase(), fillPath(path, a.params), {
    query: a.query,
    body: method === 'get' || method === 'delete' ? undefined : (a.body ?? {}),
    signal: a.signal,
    anonymous: a.anonymous,
  });
}

/**
 * Sends a file as text in one of the content types the operation declares (a YAML import);
 * answers with its JSON success body.
 */
export function typedSendText<M extends Method, P extends TextBodyPathOf<M>>(
  c: ApiClient,
  method: M,
  path: P,
  args: Omit<Args<Op<M, P>>, 'body'> & {
    text: { body: string; contentType: RequestTypes<Op<M, P>> };
  },
): Promise<Ok<Op<M, P>>> {
  const a: Loose & { text: { body: string; contentType: string } } = args;
  return c.request<Ok<Op<M, P>>>(method.toUpperCase(), fillPath(path, a.params), {
    query: a.query,
    text: a.text,
    signal: a.signal,
  });
}

/** A GET whose answer is a text format the operation declares (a YAML export), as text. */
export function typedText<P extends TextAnswerPath>(
  c: ApiClient,
  path: P,
  args: Args<Op<'get', P>>,
): Promise<string> {
  const a: Loose = args;
  return c.requestText('GET', fillPath(path, a.params), { query: a.query, signal: a.signal });
}

/** Opens an event-stream route (its declared headers, e.g. `Last-Event-ID`, typed too). */
export function typedStream<P extends StreamPath>(
  c: ApiClient,
  path: P,
  args: Args<Op<'get', P>> & HeadersOf<Op<'get', P>>,
): Promise<Response> {
  const a: Loose = args;
  return c.openStream(fillPath(path, a.params), {
    query: a.query,
    headers: a.headers,
    signal: a.signal,
  });
}
