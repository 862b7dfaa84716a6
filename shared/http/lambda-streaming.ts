/**
 * Lambda response streaming (`awslambda.streamifyResponse`, `awslambda.HttpResponseStream.from`).
 * In Lambda the runtime provides the `awslambda` global; elsewhere (the local runtime, tests) an
 * equivalent stands in, so a streaming handler module is the same code in both places.
 */
import type { Writable } from 'node:stream';
import type { Context } from 'aws-lambda';

export interface ResponseMetadata {
  statusCode: number;
  headers: Record<string, string>;
}

export type StreamingHandler<E> = (
  event: E,
  responseStream: Writable,
  context: Context,
) => Promise<void>;

interface AwsLambdaGlobal {
  streamifyResponse<E>(handler: StreamingHandler<E>): unknown;
  HttpResponseStream: { from(stream: Writable, metadata: ResponseMetadata): Writable };
}

/** Marks a handler as streaming for the local server, which then passes it a response stream. */
export const STREAMING_HANDLER = Symbol.for('hishamos.streamingHandler');

/** Local streams accept the status and headers through this method before the first byte. */
export interface MetadataSink {
  setMetadata(metadata: ResponseMetadata): void;
}

const local: AwsLambdaGlobal = {
  streamifyResponse(handler) {
    return Object.assign(handler, { [STREAMING_HANDLER]: true });
  },
  HttpResponseStream: {
    from(stream, metadata) {
      (stream as Writable & Partial<MetadataSink>).setMetadata?.(metadata);
      return stream;
    },
  },
};

export function lambdaStreaming(): AwsLambdaGlobal {
  // The AWS SDK's invoke store creates an empty `awslambda` object outside Lambda too.
  const g = (globalThis as unknown as { awslambda?: Partial<AwsLambdaGlobal> }).awslambda;
  return typeof g?.streamifyResponse === 'function' ? (g as AwsLambdaGlobal) : local;
}

export function isStreamingHandler(fn: unknown): fn is StreamingHandler<unknown> {
  return typeof fn === 'function' && STREAMING_HANDLER in fn;
}
