/**
 * The OpenTelemetry SDK half of tracing.ts (ADR 075): the tracer provider and the OTLP exporter.
 * Apart so that a Lambda without OTEL_EXPORTER_OTLP_ENDPOINT never loads it (dynamic import in
 * shared/platform/aws-platform.ts); spans then go to the API's no-op tracer.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { ids, registerProvider } from './tracing';

export function installTracing(options: {
  exporter: SpanExporter;
  /** Export each span as it ends (tests); else batch. */
  simple?: boolean;
  /** Flush at the end of every invocation (Lambda freezes the process between invocations). */
  flushEachInvocation?: boolean;
}): void {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'hishamos' }),
    idGenerator: ids,
    spanProcessors: [
      options.simple
        ? new SimpleSpanProcessor(options.exporter)
        : new BatchSpanProcessor(options.exporter),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  registerProvider(provider, options.flushEachInvocation ?? false);
}

/** OTLP over HTTP to `<endpoint>/v1/traces`, when the endpoint is configured. */
export function installOtlpTracing(endpoint: string, options: { flushEachInvocation: boolean }) {
  installTracing({
    exporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }),
    flushEachInvocation: options.flushEachInvocation,
  });
}
