/**
 * OpenTelemetry traces, exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (a no-op
 * otherwise): request → run → step → provider call (ADR 075).
 *
 * A run crosses processes (API Lambda, Step Functions, task Lambdas) and its state carries ids
 * only, so the trace context is derived from the run id instead of being passed along: a run
 * started by a request gets the request's trace id as its id (trace ids are generated UUID-shaped),
 * the request span's id is the last 16 hex digits of that trace id, and the run span's id is a
 * hash of the run id. Any task can then attach its span to the run without knowing more than the
 * run id.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  context,
  ROOT_CONTEXT,
  type Attributes,
  type Span,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';

/** What this module needs of the SDK's provider, once tracing-sdk.ts has installed one. */
interface InstalledProvider {
  forceFlush(): Promise<void>;
}

let provider: InstalledProvider | undefined;
let flushEachInvocation = false;
/** A span id to use for the next span instead of a random one (deterministic run spans). */
let nextSpanId: string | undefined;
let lastSpanId = '';

/**
 * Span ids start with 8-b (so they can be a UUID's variant group); a root span's trace id is a
 * random UUID v4 whose last 16 hex digits are that root span's id.
 */
export const ids: IdGenerator = {
  generateSpanId() {
    if (nextSpanId) {
      lastSpanId = nextSpanId;
      nextSpanId = undefined;
      return lastSpanId;
    }
    const hex = randomBytes(8).toString('hex');
    lastSpanId = ((Number.parseInt(hex[0], 16) & 3) | 8).toString(16) + hex.slice(1);
    return lastSpanId;
  },
  generateTraceId() {
    const head = randomBytes(8).toString('hex');
    return `${head.slice(0, 12)}4${head.slice(13)}${lastSpanId}`;
  },
};

/**
 * Called by tracing-sdk.ts: the SDK is imported only when tracing is configured, so a cold start
 * without an OTLP endpoint never loads it.
 */
export function registerProvider(installed: InstalledProvider, flushEach: boolean): void {
  provider = installed;
  flushEachInvocation = flushEach;
}

export async function flushTraces(): Promise<void> {
  if (provider && flushEachInvocation) await provider.forceFlush();
}

const tracer = () => trace.getTracer('hishamos');

async function inSpanOf<T>(span: Span, fn: (span: Span) => Promise<T>): Promise<T> {
  try {
    return await fn(span);
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).name });
    throw error;
  } finally {
    span.end();
  }
}

/** The server span of one HTTP request (a new trace). */
export function inRequestSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
) {
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER, attributes }, ROOT_CONTEXT);
  return context.with(trace.setSpan(ROOT_CONTEXT, span), () => inSpanOf(span, fn));
}

/** A child of the active span (a provider call inside a step). */
export function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>) {
  return tracer().startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, (span) =>
    inSpanOf(span, fn),
  );
}

/** A run id that is the active request's trace id, so the run's spans join that trace. */
export function runIdFromActiveTrace(): string | undefined {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return undefined;
  const t = span.spanContext().traceId;
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-${t.slice(12, 16)}-${t.slice(16, 20)}-${t.slice(20)}`;
}

const traceIdOf = (runId: string) => runId.replace(/-/g, '').toLowerCase();
const runSpanIdOf = (runId: string) => {
  const hex = createHash('sha256').update(`run:${runId}`).digest('hex');
  return ((Number.parseInt(hex[0], 16) & 3) | 8).toString(16) + hex.slice(1, 16);
};
const parentContext = (traceId: string, spanId: string) =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId,
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });

/** A task's span inside its run (a step attempt, planning, settling), whatever process runs it. */
export function inRunSpan<T>(
  runId: string,
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
) {
  const parent = parentContext(traceIdOf(runId), runSpanIdOf(runId));
  const span = tracer().startSpan(name, { kind: SpanKind.INTERNAL, attributes }, parent);
  return context.with(trace.setSpan(parent, span), () => inSpanOf(span, fn));
}

/** Renames and annotates the active span once the work knows what it is (`step coder`). */
export function annotateActiveSpan(name: string | undefined, attributes: Attributes): void {
  const span = trace.getActiveSpan();
  if (name) span?.updateName(name);
  span?.setAttributes(attributes);
}

/**
 * The run's own span, recorded when the run settles: from its start to now, a child of the request
 * that started it, with the id its tasks' spans already name as their parent.
 */
export function recordRunSpan(
  runId: string,
  startedAt: Date,
  status: string,
  attributes: Attributes,
): void {
  if (!provider) return;
  const traceId = traceIdOf(runId);
  nextSpanId = runSpanIdOf(runId);
  const span = tracer().startSpan(
    'run',
    {
      kind: SpanKind.INTERNAL,
      startTime: startedAt,
      attributes: { ...attributes, 'hishamos.run.status': status },
    },
    parentContext(traceId, traceId.slice(16)),
  );
  if (status === 'FAILED') span.setStatus({ code: SpanStatusCode.ERROR, message: 'run failed' });
  span.end();
}
