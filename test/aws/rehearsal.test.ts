/**
 * The deploy rehearsal (issue 10): the synthesized templates run as AWS would run them, offline.
 * Built bundles in forked processes with only the template's environment, every SDK call checked
 * against the template's IAM statements, the Data API as strict as Aurora's, the state machines
 * as synthesized. A deploy (the migrate trigger) and a day of use, told as one story; each step
 * depends on the previous one, so the tests run in order and share the rehearsal.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { DEMO_AGENTS, FEATURE_PIPELINE } from '../../infra/local/seed';
import type { ApiResponse } from '../../infra/rehearsal/api-gateway';
import { Fleet } from '../../infra/rehearsal/fleet';
import { isAllowed, Principals } from '../../infra/rehearsal/iam';
import { type Rehearsal, startRehearsal } from '../../infra/rehearsal/rehearsal';
import { githubDelivery, githubExamples } from '../integration/automation/support';
import { SERVER_URL } from '../support/databases';

let r: Rehearsal;
let token = '';
const lane = { started: Date.now(), startupMs: 0 };
const email = `owner-${randomUUID().slice(0, 8)}@example.test`;
const password = 'correct horse battery staple';

beforeAll(async () => {
  r = await startRehearsal({
    databaseUrl: SERVER_URL,
    // What a deployment without provider keys opts into (ADR 046); the story has no keys.
    context: { allowSimulator: true },
    waitMs: 100,
    retryMs: 100,
  });
  lane.startupMs = Date.now() - lane.started;
}, 300_000);

afterAll(async () => {
  await r?.close();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse & { json: any }> {
  const res = await r.api.request({
    method,
    path,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  let json: unknown;
  try {
    json = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    json = undefined;
  }
  return { ...res, json };
}

/** A call that must succeed; a failure shows the answer (and the function's error) in full. */
async function ok(method: string, path: string, body?: unknown): Promise<any> {
  const res = await call(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} → ${explain(res)}`);
  return res.json;
}

/** The answer and the answering function's last logged errors (a 500's body hides its cause). */
function explain(res: ApiResponse): string {
  const errors = r.logs(res.function ?? '').filter((l) => /"level":"error"/.test(l));
  return `${res.status} (${res.function}): ${res.body.slice(0, 2000)}\n${errors.slice(-3).join('\n')}`;
}

function expectStatus(res: ApiResponse, status: number): void {
  if (res.status !== status) throw new Error(`expected ${status}, got ${explain(res)}`);
}

async function settled(runId: string, timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await ok('GET', `/v1/runs/${runId}`);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED', 'WAITING'].includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const dataApiCallsBy = (principal: string) =>
  [...r.principals.calls.entries()]
    .filter(([k]) => k.startsWith(`${principal} rds-data:`))
    .reduce((n, [, v]) => n + v, 0);

test('the deploy trigger (the migrate function, owner secret) applies the migrations', async () => {
  // Act
  const results = (await r.deploy()) as Array<{ applied: string[]; appLogin: boolean }>;

  // Assess
  expect(r.deployment.triggers).toEqual(['migrate']);
  expect(results[0].applied).toEqual(expect.arrayContaining(['0007_app_login_role.sql']));
  expect(results[0].appLogin).toBe(true);
  expect(r.principals.denials).toEqual([]);
});

test('health and readiness answer through the API, the app user reaching the database', async () => {
  // Act
  const health = await call('GET', '/health');
  const ready = await call('GET', '/ready');

  // Assess
  expect(health.status).toBe(200);
  expect(ready.status).toBe(200);
  expect(ready.json.checks.database.status).toBe('ok');
});

test('sign up, sign in, and an authenticated route on another function than auth', async () => {
  // Act
  const signup = await call('POST', '/v1/auth/signup', {
    tenantName: `Rehearsal ${randomUUID().slice(0, 6)}`,
    email,
    password,
  });
  const login = await call('POST', '/v1/auth/login', { email, password });
  token = login.json?.accessToken;
  const me = await call('GET', '/v1/me');
  const agents = await call('GET', '/v1/agents');

  // Assess
  expectStatus(signup, 201);
  expectStatus(login, 200);
  expectStatus(me, 200);
  expectStatus(agents, 200);
  expect(agents.function).toBe('agents');
});

test('agents and workflows are created and updated', async () => {
  // Act
  for (const agent of DEMO_AGENTS) await ok('POST', '/v1/agents', agent);
  const pm = (await ok('GET', '/v1/agents')).items.find((a: { slug: string }) => a.slug === 'pm');
  const updated = await ok('PATCH', `/v1/agents/${pm.id}`, {
    systemPrompt: `${pm.systemPrompt} Keep it short.`,
  });
  const workflow = await ok('POST', '/v1/workflows', FEATURE_PIPELINE);
  const patched = await ok('PATCH', `/v1/workflows/${workflow.id}`, {
    description: 'rehearsed',
    nodes: workflow.nodes,
    edges: workflow.edges,
  });

  // Assess
  expect(updated.systemPrompt).toContain('Keep it short.');
  expect(patched.description).toBe('rehearsed');
});

test('feature-pipeline runs to SUCCEEDED through the synthesized state machine', async () => {
  // Prepare
  const stepsBefore = r.fleet.invocations.filter((i) => i.function === 'runAgentStep').length;
  const callsBefore = dataApiCallsBy('runAgentStep');
  const startCallsBefore = dataApiCallsBy('workflows');
  const finalizeCallsBefore = dataApiCallsBy('finalizeRun');

  // Act
  const started = await ok('POST', '/v1/workflows/feature-pipeline/runs', {
    input: { feature: 'dark mode', repository: 'web' },
  });
  report.dataApiCallsToStartARun = dataApiCallsBy('workflows') - startCallsBefore;
  const run = await settled(started.runId);
  await r.stepFunctions.idle();

  // Assess
  expect(run.status).toBe('SUCCEEDED');
  const executions = [...r.stepFunctions.executions.values()].filter((x) =>
    x.machine.name.endsWith('runWorkflow'),
  );
  expect(executions.map((x) => x.status)).toContain('SUCCEEDED');
  // The first Plan turn prepared pm's call, pm's completion coder's (ADR 186), the Plan turn after
  // the Map summary's (ADR 187); their tasks took them as prepared: one attempt each, none
  // charged as interrupted
  const execution = executions.find((x) => x.input.includes(started.runId));
  const tasks = execution?.tasks ?? [];
  expect(tasks.filter((t) => t === 'PreparedAgentStep')).toHaveLength(3);
  const attempts = run.steps.map((s: { attempts: { outcome: string }[] }) =>
    s.attempts.map((a) => a.outcome),
  );
  expect(attempts).toEqual(Array(5).fill(['success']));
  // The agent steps' function serves the Plan turns too (ADR 187): its calls are the engine's.
  const plans = tasks.filter((t) => t === 'Plan').length;
  expect(plans).toBe(2);
  const invoked =
    r.fleet.invocations.filter((i) => i.function === 'runAgentStep').length - stepsBefore;
  expect(invoked).toBe(5 + plans);
  report.dataApiCallsPerAgentStep = (dataApiCallsBy('runAgentStep') - callsBefore) / 5;
  // summary's completion settled the run (ADR 188): no Finalize task, no call of its function
  expect(tasks).not.toContain('Finalize');
  expect(dataApiCallsBy('finalizeRun') - finalizeCallsBefore).toBe(0);
  expect(run.output).toEqual(
    run.steps.find((s: { nodeId: string }) => s.nodeId === 'summary').output,
  );
});

test("the run's events stream through the function URL (response streaming) and end", async () => {
  // Prepare
  const [url] = Object.values(r.urls);
  const runs = await ok('GET', '/v1/runs');
  const done = runs.items.find((x: { status: string }) => x.status === 'SUCCEEDED');

  // Act
  const res = await url.request({
    method: 'GET',
    path: `/v1/runs/${done.id}/stream`,
    headers: { authorization: `Bearer ${token}` },
  });
  const anonymous = await url.request({ method: 'GET', path: `/v1/runs/${done.id}/stream` });

  // Assess
  expect(r.deployment.functionUrls).toEqual([
    { function: 'runStream', invokeMode: 'RESPONSE_STREAM' },
  ]);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
  expect(res.body).toMatch(/event: run\.queued\n/);
  expect(res.body).toMatch(/event: end\ndata: \{"status":"SUCCEEDED"\}/);
  expect(anonymous.status).toBe(401);
});

test('an approval waits in the inbox, is approved, and the run finishes; an agent is tried alone', async () => {
  // Prepare
  const workflow = await ok('POST', '/v1/workflows', {
    slug: `signed-off-${randomUUID().slice(0, 6)}`,
    name: 'Signed off',
    nodes: [
      { id: 'draft', type: 'agent', agent: 'pm', prompt: 'Draft {{input.topic}}' },
      { id: 'signoff', type: 'approval' },
      { id: 'ship', type: 'agent', agent: 'pm', prompt: '{{steps.draft.output}}' },
    ],
    edges: [
      { from: 'draft', to: 'signoff' },
      { from: 'signoff', to: 'ship' },
    ],
  });
  const started = await ok('POST', `/v1/workflows/${workflow.id}/runs`, { input: { topic: 'x' } });
  const waiting = await settled(started.runId);
  const inbox = await ok('GET', '/v1/approvals?status=waiting');

  // Act
  await ok('POST', `/v1/runs/${started.runId}/steps/signoff/approve`, { comment: 'ship it' });
  const done = await settled(started.runId);
  // Trying an agent alone is a one-step run through the same state machine (ADR 164).
  const tried = await ok('POST', '/v1/agents/pm/try', { prompt: 'Say hello' });
  const tryRun = await settled(tried.runId);

  // Assess
  expect(waiting.status).toBe('WAITING');
  expect(inbox.items.map((i: { runId: string }) => i.runId)).toContain(started.runId);
  expect(done.status).toBe('SUCCEEDED');
  expect(tryRun.status).toBe('SUCCEEDED');
  expect(tryRun.steps).toHaveLength(1);
});

test('a batch runs through the synthesized Distributed Map: item list read from S3 by the machine role, one run per input', async () => {
  // Prepare
  const workflow = await ok('POST', '/v1/workflows', {
    slug: `batched-${randomUUID().slice(0, 6)}`,
    name: 'Batched',
    nodes: [{ id: 'draft', type: 'agent', agent: 'pm', prompt: 'Draft {{input.topic}}' }],
  });

  // Act
  const started = await ok('POST', `/v1/workflows/${workflow.id}/batches`, {
    inputs: [{ topic: 'a' }, { topic: 'b' }, { topic: 'c' }],
    maxConcurrency: 2,
  });
  const deadline = Date.now() + 180_000;
  let batch = await ok('GET', `/v1/batches/${started.batchId}`);
  while (batch.status === 'RUNNING' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    batch = await ok('GET', `/v1/batches/${started.batchId}`);
  }
  await r.stepFunctions.idle();

  // Assess
  expect(batch.status).toBe('COMPLETED');
  expect(batch.counts).toMatchObject({ total: 3, succeeded: 3, notStarted: 0 });
  expect(batch.runs.items.map((x: { batchIndex: number }) => x.batchIndex).sort()).toEqual([
    0, 1, 2,
  ]);
  const executions = [...r.stepFunctions.executions.values()].filter((x) =>
    x.machine.name.endsWith('runBatch'),
  );
  expect(executions.map((x) => x.status)).toEqual(['SUCCEEDED']);
});

test('a step answering >100 KB: kept in S3 by the agent step function, read by the next, whole on the step route', async () => {
  // Prepare
  const slug = `big-${randomUUID().slice(0, 6)}`;
  await ok('POST', '/v1/agents', {
    slug,
    name: 'Big writer',
    model: 'simulator:big-120',
    systemPrompt: 'Write at length.',
  });
  const workflow = await ok('POST', '/v1/workflows', {
    slug: `big-payloads-${randomUUID().slice(0, 6)}`,
    name: 'Big payloads',
    nodes: [
      { id: 'write', type: 'agent', agent: slug, prompt: 'Report on {{input.topic}}' },
      { id: 'read', type: 'agent', agent: 'pm', prompt: 'Summarise: {{steps.write.output}}' },
    ],
    edges: [{ from: 'write', to: 'read' }],
  });

  // Act
  const started = await ok('POST', `/v1/workflows/${workflow.id}/runs`, {
    input: { topic: 'limits' },
  });
  const done = await settled(started.runId);
  const write = await ok('GET', `/v1/runs/${started.runId}/steps/write`);
  const read = await ok('GET', `/v1/runs/${started.runId}/steps/read`);

  // Assess: the run succeeded on the whole answer, the rows and responses stayed under the limits
  expect(done.status).toBe('SUCCEEDED');
  expect(done.steps.find((s: { nodeId: string }) => s.nodeId === 'write').truncated.output).toBe(
    Buffer.byteLength(JSON.stringify(write.output)),
  );
  expect(write.output.length).toBeGreaterThan(100 * 1024);
  expect(read.prompt).toBe(`Summarise: ${write.output}`);
  expect(r.dataApi.largest.row).toBeLessThan(64 * 1024);
  expect(r.dataApi.largest.response).toBeLessThan(1024 * 1024);
  expect(r.principals.denials).toEqual([]);
});

test('a document larger than 64 KB is ingested and found by search', async () => {
  // Prepare
  const kb = await ok('POST', '/v1/knowledge-bases', { name: 'Handbook', embeddingModel: 'local' });
  const paragraph = (i: number) =>
    `Section ${i}. Travel policy: trains are preferred under four hours; meals are reimbursed up to forty euros a day; receipts go to the finance portal within thirty days.\n\n`;
  let text = '';
  for (let i = 0; Buffer.byteLength(text) < 100 * 1024; i++) text += paragraph(i);
  text += 'The emergency contact for the Lisbon office is the harbour desk.\n';

  // Act
  const doc = await ok('POST', `/v1/knowledge-bases/${kb.id}/documents`, {
    title: 'Employee handbook',
    text,
  });
  const deadline = Date.now() + 120_000;
  let status = doc.status;
  while (!['ready', 'failed'].includes(status) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    status = (await ok('GET', `/v1/knowledge-bases/${kb.id}/documents/${doc.id}`)).status;
  }
  const found = await ok('POST', `/v1/knowledge-bases/${kb.id}/search`, {
    query: 'Lisbon emergency contact',
    topK: 3,
  });

  // Assess
  expect(Buffer.byteLength(text)).toBeGreaterThan(64 * 1024);
  expect(status).toBe('ready');
  expect(found.items[0].documentId).toBe(doc.id);
  expect(found.items.map((h: { text: string }) => h.text).join(' ')).toContain('harbour desk');
});

test('a signed GitHub webhook delivery is accepted and recorded', async () => {
  // Prepare
  const trigger = await ok('POST', '/v1/triggers', {
    name: 'prs',
    source: 'github',
    workflowId: 'feature-pipeline',
    rules: { events: ['pull_request.opened'] },
  });
  const [opened] = githubExamples('pull_request').filter((e) => e.payload.action === 'opened');
  const delivery = githubDelivery(trigger.id, trigger.secret, 'pull_request', opened.payload);

  // Act
  const res = await call('POST', delivery.path, delivery.raw, delivery.headers);
  const recorded = await ok('GET', `/v1/triggers/${trigger.id}/deliveries`);

  // Assess
  expect(res.status).toBe(202);
  expect(recorded.items.length).toBe(1);
  if (res.json?.runId) {
    const run = await settled(res.json.runId);
    expect(['SUCCEEDED', 'FAILED']).toContain(run.status);
    if (run.status === 'FAILED') expect(run.error).toBeTruthy();
  }
});

test('usage reports what the runs metered', async () => {
  // Act
  const usage = await ok('GET', '/v1/usage?groupBy=workflow');

  // Assess
  expect(usage.total.inputTokens).toBeGreaterThan(0);
  expect(usage.items.map((i: { workflowSlug?: string }) => i.workflowSlug)).toContain(
    'feature-pipeline',
  );
});

test('an MCP client lists the workflows as tools and runs one through the mcp function', async () => {
  // Prepare: JSON-RPC over the streamable HTTP transport, as an MCP client sends it
  const rpc = async (id: number, method: string, params: unknown) => {
    const res = await call(
      'POST',
      '/mcp',
      { jsonrpc: '2.0', id, method, params },
      { accept: 'application/json, text/event-stream' },
    );
    expectStatus(res, 200);
    if (res.json.error) throw new Error(`${method}: ${JSON.stringify(res.json.error)}`);
    return res.json.result;
  };

  // Act: the built mcp bundle, which leaves ajv out (ADR 182)
  const hello = await rpc(1, 'initialize', {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'rehearsal', version: '1.0.0' },
  });
  const { tools } = await rpc(2, 'tools/list', {});
  const result = await rpc(3, 'tools/call', {
    name: 'feature-pipeline',
    arguments: { feature: 'MCP in the rehearsal' },
  });

  // Assess
  expect(hello.serverInfo.name).toBe('hishamos');
  expect(tools.map((t: { name: string }) => t.name)).toContain('feature-pipeline');
  expect(result.isError).toBe(false);
  const run = await settled(result.structuredContent.runId);
  expect(run.status).toBe('SUCCEEDED');
});

test('an execution stopped outside the app settles its run FAILED through the status rule', async () => {
  // Prepare: a run in flight (five agent steps take seconds); an operator's client, signed as the
  // runs function (which the template lets stop executions of this machine).
  const started = await ok('POST', '/v1/workflows/feature-pipeline/runs', {
    input: { feature: 'an aborted feature' },
  });
  const execution = await waitFor(() =>
    [...r.stepFunctions.executions.values()].find(
      (x) => x.status === 'RUNNING' && x.input.includes(started.runId),
    ),
  );
  const sfn = new SFNClient({
    region: 'us-east-1',
    endpoint: endpointsOf({ name: 'runs' }).AWS_ENDPOINT_URL_SFN,
    credentials: {
      accessKeyId: Principals.accessKeyOf('runs'),
      secretAccessKey: Principals.SECRET_KEY,
    },
  });

  // Act
  await sfn.send(new StopExecutionCommand({ executionArn: execution.arn, cause: 'operator' }));
  // Without the rule the run would stay RUNNING: fail on that, inside Jest's own timeout.
  const run = await settled(started.runId, 30_000);
  await r.stepFunctions.idle();

  // Assess
  expect(run.status).toBe('FAILED');
  expect(run.error.name).toBe('ExecutionAborted');
  // Delivered to the rule's target without error (a failed delivery carries `error`).
  expect(r.stepFunctions.deliveries).toContainEqual({
    rule: expect.any(String),
    status: 'ABORTED',
  });
});

test('least privilege: only the migrate function uses the owner secret; tenant-secret writes only where secrets are written', async () => {
  // Prepare: the last writes of the story (a provider key, set and removed: no run follows it).
  await r.stepFunctions.idle();
  await ok('PUT', '/v1/providers/openai/key', { apiKey: 'sk-rehearsal-0000000000000000' });
  await ok('DELETE', '/v1/providers/openai/key');
  const cluster = r.deployment.clusters[0];
  const tenantSecrets = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:hishamos/tenants/*';
  const writes = ['PutSecretValue', 'CreateSecret', 'DeleteSecret'].map(
    (a) => `secretsmanager:${a}`,
  );

  // Act
  const ownerUsers = r.principals.usersOf(
    'secretsmanager:GetSecretValue',
    cluster.masterSecretArn ?? '-',
  );
  const writers = new Set(writes.flatMap((a) => r.principals.usersOf(a, tenantSecrets)));
  const holders = r.deployment.functions
    .filter((f) =>
      writes.some((action) =>
        isAllowed(f.statements, { action, resource: tenantSecrets.replace('*', 'any-tenant/key') }),
      ),
    )
    .map((f) => f.name);

  // Assess
  expect(ownerUsers).toEqual(['migrate']);
  expect([...writers].sort()).toEqual(['providers', 'triggers']);
  // members writes the tenant's SSO client secret (its own suites exercise that; the story has no IdP).
  expect(holders.sort()).toEqual([...writers, 'members'].sort());
});

test('no call of the story was refused by IAM, and every response stayed under the limits', () => {
  // Assess
  expect(r.principals.denials).toEqual([]);
  expect(r.dataApi.largest.row).toBeLessThanOrEqual(64 * 1024);
  expect(r.dataApi.largest.response).toBeLessThanOrEqual(1024 * 1024);
  expect(r.fleet.invocations.filter((i) => !i.ok)).toEqual([]);
  // Every AWS call went to a stand-in of a service the template uses.
  expect(r.unknownCalls).toEqual([]);
});

test('without the simulator opt-in, a keyless agent step fails fast with ProviderNotConfigured', async () => {
  // Prepare: the template a deployment without `-c allowSimulator=true` gets; its agent step
  // function deployed in place of the opted-in one.
  await r.stepFunctions.idle();
  const plain = r.resynthesize({}, 'no-simulator');
  const step = plain.functions.find((f) => f.name === 'runAgentStep');
  if (!step) throw new Error('the template has no runAgentStep function');
  const original = r.fleet.get('runAgentStep');
  await r.fleet.replace(step);
  let run: any;
  try {
    // Act
    const started = await ok('POST', '/v1/workflows/feature-pipeline/runs', {
      input: { feature: 'no keys' },
    });
    run = await settled(started.runId, 60_000);
    await r.stepFunctions.idle();
  } finally {
    await r.fleet.replace(original);
  }

  // Assess
  expect(step.environment.SIMULATOR_ALLOWED).toBe('false');
  expect(run.status).toBe('FAILED');
  expect(JSON.stringify(run)).toContain('ProviderNotConfigured');
}, 120_000);

test('a function whose role lacks a grant the template gives is refused, as in AWS', async () => {
  // Prepare: the meta function as synthesized, minus its statement on the app database secret.
  const meta = r.deployment.functions.find((f) => f.name === 'meta');
  if (!meta) throw new Error('the template has no meta function');
  const fleet = new Fleet(
    [
      {
        ...meta,
        name: 'metaWithoutSecret',
        statements: meta.statements.filter(
          (s) => !String(s.Action).includes('secretsmanager:GetSecretValue'),
        ),
      },
    ],
    { endpoints: endpointsOf(meta), principals: r.principals, log: () => undefined },
  );
  const denialsBefore = r.principals.denials.length;

  // Act
  const result = (await fleet
    .invoke('metaWithoutSecret', readyEvent())
    .finally(() => fleet.close())) as { statusCode: number };

  // Assess
  expect(result.statusCode).toBe(503);
  expect(r.principals.denials.slice(denialsBefore)).toEqual([
    expect.objectContaining({
      principal: 'metaWithoutSecret',
      action: 'secretsmanager:GetSecretValue',
    }),
  ]);
});

test('a function missing an environment variable the template sets fails', async () => {
  // Prepare: the meta function as synthesized, minus the database secret's ARN.
  const meta = r.deployment.functions.find((f) => f.name === 'meta');
  if (!meta) throw new Error('the template has no meta function');
  const { DB_SECRET_ARN: _dropped, ...environment } = meta.environment;
  const fleet = new Fleet([{ ...meta, name: 'metaWithoutSecretArn', environment }], {
    endpoints: endpointsOf(meta),
    principals: r.principals,
    log: () => undefined,
  });

  // Act
  const result = (await fleet
    .invoke('metaWithoutSecretArn', readyEvent())
    .finally(() => fleet.close())) as { statusCode: number };

  // Assess
  expect(result.statusCode).toBe(503);
});

const report: { dataApiCallsPerAgentStep?: number; dataApiCallsToStartARun?: number } = {};

afterAll(() => {
  const figures = {
    laneSeconds: Math.round((Date.now() - lane.started) / 100) / 10,
    startupSeconds: Math.round(lane.startupMs / 100) / 10,
    synthSeconds: Math.round((r?.synthMs ?? 0) / 100) / 10,
    dataApiCalls: r?.dataApi.calls,
    dataApiCallsPerAgentStep: report.dataApiCallsPerAgentStep,
    dataApiCallsToStartARun: report.dataApiCallsToStartARun,
    largestRowBytes: r?.dataApi.largest.row,
    largestResponseBytes: r?.dataApi.largest.response,
    invocations: r?.fleet.invocations.length,
    denials: r?.principals.denials.length,
  };
  console.log(`deploy rehearsal figures (shared 2-core machine): ${JSON.stringify(figures)}`);
  if (process.env.REHEARSAL_REPORT)
    writeFileSync(process.env.REHEARSAL_REPORT, JSON.stringify(figures, null, 2));
});

function endpointsOf(fn: { name: string }): Record<string, string> {
  const env = r.fleet.environmentOf(r.fleet.get(fn.name));
  return Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('AWS_ENDPOINT_URL_')));
}

function readyEvent(): Record<string, any> {
  return {
    version: '2.0',
    routeKey: 'GET /ready',
    rawPath: '/ready',
    rawQueryString: '',
    headers: {},
    requestContext: {
      http: { method: 'GET', path: '/ready', sourceIp: '203.0.113.10', userAgent: 'rehearsal' },
      requestId: randomUUID(),
      routeKey: 'GET /ready',
      stage: '$default',
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
  };
}
