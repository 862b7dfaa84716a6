import { EmfMetrics, PrometheusRegistry } from '../../../shared/observability/metrics';
import { createLogger } from '../../../shared/observability/logger';
import { addLogContext, withLogContext } from '../../../shared/observability/context';

test('EMF lines name the namespace, the dimensions and the value as CloudWatch expects', () => {
  const lines: string[] = [];
  const emf = new EmfMetrics(
    'HishamOS',
    (l) => lines.push(l),
    () => 1_700_000_000_000,
  );

  emf.count('provider_errors', 1, { provider: 'openai', error: 'ProviderThrottled' });
  emf.gauge('circuit_breaker_open', 1, { provider: 'openai' });

  expect(JSON.parse(lines[0])).toEqual({
    _aws: {
      Timestamp: 1_700_000_000_000,
      CloudWatchMetrics: [
        {
          Namespace: 'HishamOS',
          Dimensions: [['provider', 'error']],
          Metrics: [{ Name: 'provider_errors', Unit: 'Count' }],
        },
      ],
    },
    provider: 'openai',
    error: 'ProviderThrottled',
    provider_errors: 1,
  });
  expect(JSON.parse(lines[1]).circuit_breaker_open).toBe(1);
});

test('the Prometheus registry sums counters per label set and escapes label values', () => {
  const r = new PrometheusRegistry();

  r.count('rate_limit_rejections', 1, { route: '/v1/runs' });
  r.count('rate_limit_rejections', 2, { route: '/v1/runs' });
  r.count('provider_errors', 1, { provider: 'a"b', error: 'X' });
  r.gauge('circuit_breaker_open', 1, { provider: 'openai' });
  r.gauge('circuit_breaker_open', 0, { provider: 'openai' });

  const text = r.render();
  expect(text).toContain('hishamos_rate_limit_rejections_total{route="/v1/runs"} 3');
  expect(text).toContain('hishamos_provider_errors_total{provider="a\\"b",error="X"} 1');
  expect(text).toContain('hishamos_circuit_breaker_open{provider="openai"} 0');
  expect(text).toContain('# TYPE hishamos_runs_started_total counter');
});

test('log lines carry the context ids, added as they become known, without leaking between calls', async () => {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger('info', (l) => lines.push(JSON.parse(l)));

  await Promise.all([
    withLogContext({ requestId: 'r1' }, async () => {
      addLogContext({ tenantId: 't1' });
      await new Promise((r) => setTimeout(r, 5));
      log.info('one');
    }),
    withLogContext({ requestId: 'r2' }, async () => log.info('two')),
  ]);
  log.info('outside');

  expect(lines.find((l) => l.message === 'one')).toMatchObject({ requestId: 'r1', tenantId: 't1' });
  expect(lines.find((l) => l.message === 'two')).toMatchObject({ requestId: 'r2' });
  expect(lines.find((l) => l.message === 'two')).not.toHaveProperty('tenantId');
  expect(lines.find((l) => l.message === 'outside')).not.toHaveProperty('requestId');
});
