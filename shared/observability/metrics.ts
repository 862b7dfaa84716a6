/**
 * Platform metrics: counters and gauges with a few low-cardinality labels (never tenant or run
 * ids). In Lambda each sample is one CloudWatch Embedded Metric Format line on stdout, which
 * CloudWatch Logs turns into metrics without an API call; locally they accumulate in memory and
 * `/metrics` renders them in the Prometheus text format (ADR 071).
 */
export type Labels = Record<string, string>;

export interface Metrics {
  /** Adds `value` to a counter (`_total` is appended for Prometheus). */
  count(name: MetricName, value?: number, labels?: Labels): void;
  /** Sets a gauge. */
  gauge(name: MetricName, value: number, labels?: Labels): void;
}

/** Every metric the platform emits, with its help text: one list, so names cannot drift. */
export const METRICS = {
  runs_started: 'Runs started',
  runs_finished: 'Runs settled, by final status',
  steps_finished: 'Steps settled, by status',
  llm_attempts: 'Model calls, by provider and outcome',
  llm_tokens: 'Tokens metered, by provider and direction',
  llm_cost_usd: 'Cost of model calls in USD, by provider',
  provider_errors: 'Failed model calls, by provider and error name',
  circuit_breaker_open: 'Per-provider circuit breaker: 1 open or half-open, 0 closed',
  rate_limit_rejections: 'Requests refused by a rate limit, by route',
} as const;
export type MetricName = keyof typeof METRICS;

const GAUGES = new Set<MetricName>(['circuit_breaker_open']);

/** In-memory counters and gauges rendered as Prometheus text (the local runtime and tests). */
export class PrometheusRegistry implements Metrics {
  private readonly values = new Map<MetricName, Map<string, { labels: Labels; value: number }>>();

  count(name: MetricName, value = 1, labels: Labels = {}): void {
    const series = this.series(name, labels);
    series.value += value;
  }

  gauge(name: MetricName, value: number, labels: Labels = {}): void {
    this.series(name, labels).value = value;
  }

  /** The current value of one series (tests). */
  value(name: MetricName, labels: Labels = {}): number {
    return this.values.get(name)?.get(key(labels))?.value ?? 0;
  }

  render(): string {
    const lines: string[] = [];
    for (const [name, help] of Object.entries(METRICS) as [MetricName, string][]) {
      const gauge = GAUGES.has(name);
      const full = `hishamos_${name}${gauge ? '' : '_total'}`;
      lines.push(`# HELP ${full} ${help}`, `# TYPE ${full} ${gauge ? 'gauge' : 'counter'}`);
      for (const { labels, value } of this.values.get(name)?.values() ?? [])
        lines.push(`${full}${renderLabels(labels)} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }

  private series(name: MetricName, labels: Labels) {
    let byLabels = this.values.get(name);
    if (!byLabels) this.values.set(name, (byLabels = new Map()));
    const k = key(labels);
    let s = byLabels.get(k);
    if (!s) byLabels.set(k, (s = { labels: { ...labels }, value: 0 }));
    return s;
  }
}

/** CloudWatch Embedded Metric Format: one JSON line per sample, dimensions = the label names. */
export class EmfMetrics implements Metrics {
  constructor(
    private readonly namespace: string,
    private readonly write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
    private readonly now: () => number = Date.now,
  ) {}

  count(name: MetricName, value = 1, labels: Labels = {}): void {
    this.emit(name, value, labels, 'Count');
  }

  gauge(name: MetricName, value: number, labels: Labels = {}): void {
    this.emit(name, value, labels, 'None');
  }

  private emit(name: MetricName, value: number, labels: Labels, unit: string) {
    this.write(
      JSON.stringify({
        _aws: {
          Timestamp: this.now(),
          CloudWatchMetrics: [
            {
              Namespace: this.namespace,
              Dimensions: [Object.keys(labels)],
              Metrics: [{ Name: name, Unit: unit }],
            },
          ],
        },
        ...labels,
        [name]: value,
      }),
    );
  }
}

let current: Metrics = new PrometheusRegistry();

export function metrics(): Metrics {
  return current;
}

/** The local runtime installs a registry it can render; Lambda installs EMF at cold start. */
export function installMetrics(m: Metrics): void {
  current = m;
}

function key(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

function renderLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (!entries.length) return '';
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `{${entries.map(([k, v]) => `${k}="${esc(v)}"`).join(',')}}`;
}
