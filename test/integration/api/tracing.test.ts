/**
 * OpenTelemetry: a run started over HTTP is one trace, request → run → step attempts → provider
 * calls, captured by an in-memory exporter on the real local runtime (the same spans go over
 * OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set).
 */
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTestStack, type TestStack } from '../../support/stack';

const exporter = new InMemorySpanExporter();
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ spanExporter: exporter });
});
afterAll(async () => stack?.close());

const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

test('a trace of a run has the request, the run, a span per step and one per provider call', async () => {
  const token = await stack.adminToken();
  const started = await stack.call('POST', '/v1/workflows/feature-pipeline/runs', {
    token,
    body: { input: { feature: 'Trace me' } },
  });
  const run = await stack.waitForRun(token, started.body.runId);
  expect(run.status).toBe('SUCCEEDED');

  const traceId = run.id.replace(/-/g, '');
  const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
  const byName = (re: RegExp) => spans.filter((s) => re.test(s.name));
  const [request] = byName(/^POST \/v1\/workflows\/\{id\}\/runs$/);
  const [runSpan] = byName(/^run$/);
  const steps = byName(/^step /);
  const calls = byName(/^llm /);

  expect(request).toBeDefined();
  expect(request.attributes['http.response.status_code']).toBe(202);
  expect(parentOf(request)).toBeUndefined();
  expect(runSpan.attributes['hishamos.run.status']).toBe('SUCCEEDED');
  expect(parentOf(runSpan)).toBe(request.spanContext().spanId);
  expect(steps.map((s) => s.name).sort()).toEqual([
    'step coder',
    'step pm',
    'step qa',
    'step reviewer',
    'step summary',
  ]);
  for (const step of steps) expect(parentOf(step)).toBe(runSpan.spanContext().spanId);
  expect(calls).toHaveLength(5);
  const stepIds = new Set(steps.map((s) => s.spanContext().spanId));
  for (const call of calls) {
    expect(stepIds.has(parentOf(call) ?? '')).toBe(true);
    expect(call.attributes['gen_ai.system']).toBe('simulator');
    expect(Number(call.attributes['gen_ai.usage.output_tokens'])).toBeGreaterThan(0);
  }
  // Planning and settling join the same trace too.
  expect(byName(/^(planAndPrepare|finalizeRun)$/).length).toBeGreaterThanOrEqual(2);
});

test('a request that starts no run is a trace of its own', async () => {
  const token = await stack.adminToken();
  exporter.reset();

  await stack.call('GET', '/v1/agents', { token });

  const [span] = exporter.getFinishedSpans().filter((s) => s.name === 'GET /v1/agents');
  expect(span).toBeDefined();
  expect(span.attributes['http.response.status_code']).toBe(200);
});
