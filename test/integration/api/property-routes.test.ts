/**
 * Property: no request, however malformed, gets a 5xx, and a rejected request writes nothing.
 * Requests are generated for every route from its own contracts (params, query, body) with
 * fast-check: mostly contract-shaped values, mixed with hostile text (NUL, lone surrogates, bad
 * percent-escapes), unknown fields, deep nesting and malformed JSON. Seeded and bounded.
 */
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { allRoutes, functions, type BoundRoute } from '../../../infra/manifest';
import { rowsOf } from '../../../shared/db/client';
import { startTestStack, type TestStack } from '../../support/stack';
import { arbitraryFor, HOSTILE_STRINGS } from '../../support/zod-arbitrary';

const SEED = 20261129;
const RUNS_PER_ROUTE = 30;

let stack: TestStack;
let token: string;
let known: Record<string, string[]> = {};
let lastPrint: string | undefined;
const tally = { requests: 0, server5xx: 0, rejected: 0, rejectedWithWrites: 0 };
const statuses = new Map<number, number>();

/** Tables only API requests insert into (background steps and ingestion update, never insert). */
const COUNTED = [
  'tenants',
  'users',
  'memberships',
  'api_keys',
  'agents',
  'agent_versions',
  'workflows',
  'workflow_versions',
  'runs',
  'triggers',
  'knowledge_bases',
  'documents',
  'budgets',
];

async function fingerprint(): Promise<string> {
  const counts = COUNTED.map((t) => `(select count(*) from ${t})`).join(` || ',' || `);
  const audit = `(select count(*) from audit_log where action not like 'auth.%')`;
  const rows = rowsOf<{ f: string }>(
    await stack.platform.db.owner.execute(sql.raw(`select ${counts} || ',' || ${audit} as f`)),
  );
  return rows[0].f;
}

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.adminToken();
  const call = (method: string, path: string, body?: unknown) =>
    stack.call(method, path, { token, body });
  const agent = (await call('GET', '/v1/agents/pm')).body;
  const wf = (
    await call('POST', '/v1/workflows', {
      slug: 'prop-wf',
      name: 'Property',
      nodes: [
        { id: 'a', type: 'agent', agent: 'pm', prompt: 'hello' },
        { id: 'b', type: 'approval' },
      ],
      edges: [{ from: 'a', to: 'b' }],
    })
  ).body;
  const run = (await call('POST', '/v1/workflows/prop-wf/runs', { input: {} })).body;
  const finished = await stack.waitForRun(token, run.runId);
  const trigger = (
    await call('POST', '/v1/triggers', {
      name: 't',
      source: 'github',
      workflowId: 'feature-pipeline',
      rules: { events: ['pull_request.opened'] },
    })
  ).body;
  const kb = (await call('POST', '/v1/knowledge-bases', { name: 'kb', embeddingModel: 'local' }))
    .body;
  const doc = (
    await call('POST', `/v1/knowledge-bases/${kb.id}/documents`, { title: 'd', text: 'hello' })
  ).body;
  const member = (
    await call('POST', '/v1/members', {
      email: 'prop-member@example.test',
      role: 'viewer',
      password: 'a long enough password',
    })
  ).body;
  const key = (await call('POST', '/v1/api-keys', { name: 'k', role: 'dev' })).body;
  known = {
    id: [agent.id, 'pm', wf.id, 'prop-wf', run.runId, trigger.id, kb.id, member.id, key.id]
      .filter(Boolean)
      .map(String),
    stepId: [finished.steps?.[0]?.id, finished.steps?.[0]?.nodeId].filter(Boolean),
    docId: [doc.id].filter(Boolean),
    triggerId: [trigger.id].filter(Boolean),
    workflowId: ['prop-wf', 'feature-pipeline', wf.id],
    workflow: ['prop-wf'],
    agent: ['pm', 'coder'],
    provider: ['openai', 'compatible'],
  };
});
afterAll(async () => {
  const byStatus = [...statuses.entries()].sort((a, b) => a[0] - b[0]);
  // The figures the issue asks for: how many requests, how many 5xx (0).
  console.log(
    `property run: seed ${SEED}, ${tally.requests} requests over ${routes.length} routes, ` +
      `${tally.server5xx} answered 5xx, ${tally.rejected} rejected (4xx), ` +
      `${tally.rejectedWithWrites} rejected with writes; statuses ${JSON.stringify(byStatus)}`,
  );
  await stack?.close();
});

// Streamed routes answer for as long as their run lives (a WAITING run: until the function's
// timeout), so a request/response property cannot wait for them; run-stream.test.ts covers their
// refusals (401, 404, 400 for bad ids, cursors and escapes).
const routes = allRoutes().filter(
  (r) => r.path !== '/openapi.json' && functions[r.functionName].kind !== 'stream',
);

function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    // A lone surrogate cannot be percent-encoded: send the bytes of one, which decode to nothing.
    return '%ED%A0%80';
  }
}

function requestArbitrary(route: BoundRoute) {
  const params = route.params
    ? (arbitraryFor(route.params, { known }) as fc.Arbitrary<Record<string, unknown>>)
    : fc.constant({});
  const query = route.query
    ? arbitraryFor(route.query, { known }).map((q) =>
        q && typeof q === 'object' && !Array.isArray(q) ? (q as Record<string, unknown>) : {},
      )
    : fc.constant({} as Record<string, unknown>);
  const body = route.body ? arbitraryFor(route.body, { known }) : fc.jsonValue({ maxDepth: 3 });
  const rawBody = fc.oneof(
    { arbitrary: body.map((b) => (b === undefined ? undefined : JSON.stringify(b))), weight: 8 },
    { arbitrary: fc.constantFrom('{"a":', '[', '\u0000', '{"a":"\\ud800"}'), weight: 1 },
    {
      arbitrary: fc
        .constantFrom(80, 5000)
        .map((depth) => `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`),
      weight: 1,
    },
  );
  const credential = fc.oneof(
    { arbitrary: fc.constant('admin'), weight: 18 },
    { arbitrary: fc.constantFrom('none', 'garbage', 'badkey'), weight: 2 },
  );
  const badSegment = fc.constantFrom('%', '%zz', '%E0%A4%A', '%00');
  return fc.record({ params, query, rawBody, credential, badSegment, breakPath: fc.nat(20) });
}

async function send(route: BoundRoute, r: any) {
  const params = (r.params ?? {}) as Record<string, unknown>;
  let path = route.path.replace(/\{(\w+)\}/g, (_m: string, name: string) =>
    encodeSegment(String(params[name] ?? '')),
  );
  if (r.breakPath === 0) path = route.path.replace(/\{(\w+)\}/g, r.badSegment);
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(r.query as Record<string, unknown>)) {
    if (v === undefined) continue;
    try {
      qs.append(k, typeof v === 'string' ? v : JSON.stringify(v));
    } catch {
      qs.append(k, HOSTILE_STRINGS[0]);
    }
  }
  const url = `${path}${qs.size ? `?${qs}` : ''}`;
  const authorization =
    r.credential === 'admin'
      ? token
      : r.credential === 'garbage'
        ? 'x.y.z'
        : r.credential === 'badkey'
          ? 'hos_zz_no-such-key'
          : undefined;
  const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
  const rawBody = hasBody ? (r.rawBody as string | undefined) : undefined;
  try {
    const res = await stack.call(route.method, url, {
      ...(authorization ? { token: authorization } : {}),
      ...(rawBody !== undefined ? { rawBody } : {}),
    });
    return { ...res, sent: `${route.method} ${url} ${rawBody?.slice(0, 300) ?? ''}` };
  } catch (e) {
    // fetch itself refuses some header values (e.g. NUL): nothing reached the server.
    if ((e as Error).name === 'TypeError') return undefined;
    throw e;
  }
}

test.each(routes.map((r) => [r.routeKey, r] as const))(
  '%s: no 5xx, and a rejected request writes nothing',
  async (_key, route) => {
    await fc.assert(
      fc.asyncProperty(requestArbitrary(route), async (r) => {
        // Only API requests insert into the counted tables, so the print after one request is the
        // print before the next: one query per request.
        const before = lastPrint ?? (await fingerprint());
        const res = await send(route, r);
        const after = await fingerprint();
        lastPrint = after;
        if (!res) return;
        tally.requests++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) {
          tally.server5xx++;
          throw new Error(`${res.status} for ${res.sent}: ${JSON.stringify(res.body)}`);
        }
        if (res.status >= 400) {
          tally.rejected++;
          if (after !== before) {
            tally.rejectedWithWrites++;
            throw new Error(`${res.status} for ${res.sent} still wrote: ${before} → ${after}`);
          }
        }
      }),
      { seed: SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
    );
  },
);
