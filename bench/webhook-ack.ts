/**
 * Webhook acknowledgement latency on the local stack: signed GitHub deliveries over real HTTP to
 * POST /v1/webhooks/github/{id}, timed from send to the 202. Three kinds: deliveries that start a
 * run (a one-step `collect` workflow, so executions stay light), deliveries the rules ignore, and
 * duplicates of earlier delivery ids. PGlite in memory, dynalite, concurrency C.
 *   npx tsx bench/webhook-ack.ts [deliveries=1000] [concurrency=4]
 */
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLocal } from '../infra/local/runtime';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const N = Number(process.argv[2] ?? 1000);
const C = Number(process.argv[3] ?? 4);
const root = resolve(import.meta.dirname, '..');
const examples = createRequire(import.meta.url)(
  '@octokit/webhooks-examples/api.github.com/index.json',
) as { name: string; examples: any[] }[];
const issue = examples
  .find((e) => e.name === 'issues')!
  .examples.find((x) => x.action === 'opened');
const push = examples.find((e) => e.name === 'push')!.examples[0];

const rt = await startLocal({
  root,
  dataDir: mkdtempSync(join(tmpdir(), 'hishamos-bench-')),
  port: 0,
  retryIntervalMs: 0,
  env: {
    HISHAMOS_PGLITE_MEMORY: '1',
    LOG_LEVEL: 'silent',
    HISHAMOS_ADMIN_PASSWORD: 'bench-password-123',
  },
});
const api = async (method: string, path: string, body?: unknown, token?: string) => {
  const res = await fetch(`${rt.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
};
const token = (
  await api('POST', '/v1/auth/login', {
    email: 'admin@localhost',
    password: 'bench-password-123',
    tenant: 'demo',
  })
).body.accessToken;
await api(
  'POST',
  '/v1/workflows',
  {
    slug: 'ack-bench',
    name: 'Ack bench',
    nodes: [{ id: 'note', type: 'tool', tool: 'collect', with: { title: '{{input.title}}' } }],
    edges: [],
  },
  token,
);
const trigger = (
  await api(
    'POST',
    '/v1/triggers',
    {
      name: 'bench',
      source: 'github',
      workflowId: 'ack-bench',
      rules: { events: ['issues.opened'] },
    },
    token,
  )
).body;

function delivery(event: string, payload: unknown, id = randomUUID()) {
  const raw = JSON.stringify(payload);
  return {
    id,
    raw,
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': id,
      'x-hub-signature-256': `sha256=${createHmac('sha256', trigger.secret).update(raw).digest('hex')}`,
    },
  };
}
async function measure(kind: string, items: ReturnType<typeof delivery>[]) {
  const times: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < items.length) {
        const d = items[next++];
        const s = performance.now();
        const res = await fetch(`${rt.url}/v1/webhooks/github/${trigger.id}`, {
          method: 'POST',
          headers: d.headers,
          body: d.raw,
        });
        await res.arrayBuffer();
        times.push(performance.now() - s);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  const wall = performance.now() - t0;
  times.sort((a, b) => a - b);
  const q = (p: number) =>
    times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
  console.log(
    `| ${kind} | ${items.length} | ${q(0.5)} ms | ${q(0.95)} ms | ${q(0.99)} ms | ${times[times.length - 1].toFixed(1)} ms | ${(items.length / (wall / 1000)).toFixed(0)}/s | ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')} |`,
  );
}

// Warm-up: first imports of the handler modules and JIT, not measured.
for (let i = 0; i < 20; i++)
  await fetch(`${rt.url}/v1/webhooks/github/${trigger.id}`, {
    method: 'POST',
    ...delivery('push', push),
  });

console.log(`webhook ack latency, ${N} signed deliveries per kind, concurrency ${C}`);
console.log('| kind | deliveries | p50 | p95 | p99 | max | throughput | statuses |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
const started = Array.from({ length: N }, (_, i) =>
  delivery('issues', { ...issue, issue: { ...issue.issue, title: `bench ${i}` } }),
);
await measure('starts a run', started);
await measure(
  'ignored by the rules',
  Array.from({ length: N }, () => delivery('push', push)),
);
await measure('duplicate delivery id', started.slice(0, Math.min(N, 500)));
await rt.executions.idle();
await rt.close();
process.exit(0);
