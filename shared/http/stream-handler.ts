/**
 * The adapter for streamed routes (Server-Sent Events). It runs behind a Lambda function URL in
 * RESPONSE_STREAM mode (payload format 2.0, no route matching: the path is matched here) and, the
 * same module, behind the local server. Failures before the first byte answer with the usual JSON
 * error and status; after it the stream just ends and the client resumes with `Last-Event-ID`.
 */
import type { Writable } from 'node:stream';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { RouteSpec } from '../api/route';
import { MethodNotAllowed, NotFound, ValidationError } from '../errors';
import { withLogContext } from '../observability/context';
import { platform } from '../platform/platform';
import { admit, lowerCase, parse, requestIdOf, type Request } from './api-handler';
import { toErrorResponse } from './error-mapping';
import { lambdaStreaming } from './lambda-streaming';

/** One SSE message: `id` becomes the client's `Last-Event-ID`; a bare `comment` is a heartbeat. */
export interface SseMessage {
  id?: string | number;
  event?: string;
  data?: unknown;
  comment?: string;
  /** Reconnection delay the client should use, in ms. */
  retry?: number;
}

export interface StreamRequest<R extends RouteSpec> extends Request<R> {
  /** The `Last-Event-ID` header, when the client is resuming. */
  lastEventId: string | undefined;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /** Milliseconds left before the function times out. */
  remainingMs: () => number;
}

/** Opens the stream: throw (NotFound, Forbidden...) before returning to answer with an error. */
export type StreamImpl<R extends RouteSpec> = (
  req: StreamRequest<R>,
) => Promise<AsyncIterable<SseMessage>>;

export function streamHandler<const R extends RouteSpec>(route: R, impl: StreamImpl<R>) {
  const pattern = new RegExp(
    `^${route.path.replace(/\{(\w+)\}/g, (_, name: string) => `(?<${name}>[^/]+)`)}$`,
  );
  const lambda = lambdaStreaming();

  return lambda.streamifyResponse<APIGatewayProxyEventV2>(
    async (event, responseStream, context) => {
      const requestId = requestIdOf(event);
      await withLogContext({ requestId }, async () => {
        const controller = new AbortController();
        const abort = () => controller.abort();
        responseStream.on('close', abort);
        responseStream.on('error', abort);
        let messages: AsyncIterator<SseMessage>;
        try {
          messages = (await open(event, context, requestId, controller.signal))[
            Symbol.asyncIterator
          ]();
        } catch (error) {
          const mapped = toErrorResponse(error);
          if (mapped.status >= 500)
            (await platform()).log.error('stream failed to open', { path: route.path, error });
          const out = lambda.HttpResponseStream.from(responseStream, {
            statusCode: mapped.status,
            headers: {
              'content-type': 'application/json; charset=utf-8',
              'cache-control': 'no-store',
              'x-request-id': requestId,
              ...mapped.headers,
            },
          });
          out.end(JSON.stringify(mapped.body));
          return;
        }
        const out = lambda.HttpResponseStream.from(responseStream, {
          statusCode: 200,
          headers: {
            'content-type': 'text/event-stream; charset=utf-8',
            'cache-control': 'no-store',
            // Reverse proxies (nginx) must not buffer the stream.
            'x-accel-buffering': 'no',
            'x-request-id': requestId,
          },
        });
        try {
          write(out, { retry: 2000, comment: 'stream open' });
          for (;;) {
            const next = await messages.next();
            if (next.done || controller.signal.aborted) break;
            write(out, next.value);
          }
        } catch (error) {
          (await platform()).log.warn('stream ended by an error', { path: route.path, error });
        } finally {
          await messages.return?.();
          responseStream.off('close', abort);
          out.end();
        }
      });
    },
  );

  async function open(
    event: APIGatewayProxyEventV2,
    context: Context,
    requestId: string,
    signal: AbortSignal,
  ): Promise<AsyncIterable<SseMessage>> {
    const method = event.requestContext?.http?.method?.toUpperCase() ?? 'GET';
    const match = pattern.exec(event.rawPath ?? '');
    if (!match) throw new NotFound(`no route ${method} ${event.rawPath}`);
    if (method !== route.method)
      throw new MethodNotAllowed(
        `${method} is not allowed on ${event.rawPath}; use ${route.method}`,
      );
    const p = await platform();
    const headers = lowerCase(event.headers ?? {});
    const sourceIp = event.requestContext?.http?.sourceIp ?? '';
    const auth = await admit(p, route, headers, sourceIp);
    const rawParams: Record<string, string> = {};
    for (const [name, v] of Object.entries(match.groups ?? {})) {
      try {
        rawParams[name] = decodeURIComponent(v);
      } catch {
        // A bad percent-escape is the caller's 400, as on the HTTP API.
        throw new ValidationError(`path.${name}: invalid percent-encoding`, [
          { path: `path.${name}`, message: 'invalid percent-encoding' },
        ]);
      }
    }
    const req = {
      params: parse(route.params, rawParams, 'path'),
      query: parse(route.query, event.queryStringParameters ?? {}, 'query'),
      body: undefined,
      rawBody: '',
      headers,
      auth,
      platform: p,
      requestId,
      sourceIp,
      lastEventId: headers['last-event-id'],
      signal,
      remainingMs: () => context.getRemainingTimeInMillis(),
    } as StreamRequest<R>;
    return impl(req);
  }
}

/** The SSE wire format: fields per line, a blank line ends a message. */
export function formatSse(m: SseMessage): string {
  let out = '';
  if (m.comment !== undefined) out += `: ${m.comment.replace(/\n/g, ' ')}\n`;
  if (m.retry !== undefined) out += `retry: ${m.retry}\n`;
  if (m.id !== undefined) out += `id: ${m.id}\n`;
  if (m.event !== undefined) out += `event: ${m.event}\n`;
  // JSON.stringify escapes newlines, so the data is one line.
  if (m.data !== undefined) out += `data: ${JSON.stringify(m.data)}\n`;
  return `${out}\n`;
}

function write(out: Writable, m: SseMessage) {
  out.write(formatSse(m));
}
