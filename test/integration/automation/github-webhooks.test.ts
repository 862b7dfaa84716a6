/**
 * GitHub automation end to end on the local stack: real @octokit/webhooks-examples payloads,
 * signed, through POST /v1/webhooks/github/{id}; the run posts back to a loopback fake GitHub.
 */
import { startFakeGithub, type FakeGithub } from '../../fakes/github/server';
import { startTestStack, type TestStack } from '../../support/stack';
import {
  createTrigger,
  createWorkflow,
  deliveries,
  githubDelivery,
  githubExamples,
  reviewWorkflow,
  send,
} from './support';

const TOKEN = 'ghp_fakeTokenForTests0123456789';
let stack: TestStack;
let github: FakeGithub;
let admin: string;

beforeAll(async () => {
  github = await startFakeGithub({ tokens: [TOKEN] });
  stack = await startTestStack({ env: { PUBLIC_URL: 'http://console.test' } });
  admin = await stack.adminToken();
  await createWorkflow(stack, admin, reviewWorkflow('pr-review'));
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await github?.close();
});
beforeEach(() => {
  github.comments.length = 0;
  github.statuses.length = 0;
  github.requests.length = 0;
});

const prTrigger = (name: string, extra: Record<string, unknown> = {}) =>
  createTrigger(stack, admin, {
    name,
    source: 'github',
    workflowId: 'pr-review',
    rules: {
      events: ['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened'],
      repositories: ['codertocat/hello-world'],
      branches: ['master'],
    },
    credentials: { type: 'token', token: TOKEN },
    apiBaseUrl: github.url,
    ...extra,
  });

test('creating a trigger shows the secret once and never the credentials', async () => {
  // Act
  const created = await prTrigger('secret-once');
  const read = await stack.call('GET', `/v1/triggers/${created.id}`, { token: admin });
  const list = await stack.call('GET', '/v1/triggers', { token: admin });

  // Assess
  expect(created.secret).toMatch(/^whsec_[\w-]{43}$/);
  expect(created.webhookUrl).toBe(`${stack.url}/v1/webhooks/github/${created.id}`);
  expect(read.status).toBe(200);
  expect(read.body.secret).toBeUndefined();
  expect(read.body.credentials).toEqual({ type: 'token', hint: `…${TOKEN.slice(-4)}` });
  expect(read.body.secretHint).toBe(`…${created.secret.slice(-4)}`);
  expect(JSON.stringify([read.body, list.body])).not.toContain(TOKEN);
  expect(JSON.stringify([read.body, list.body])).not.toContain(created.secret);
});

test('real payloads, each sent twice concurrently: the matching PR starts exactly one run, one comment, one status; the rest are ignored with a reason', async () => {
  // Prepare
  const trigger = await prTrigger('examples');
  const examples = ['pull_request', 'issues', 'issue_comment', 'push'].flatMap(githubExamples);
  const sent = examples.map((e) => githubDelivery(trigger.id, trigger.secret, e.event, e.payload));

  // Act
  const answers = (
    await Promise.all(sent.map((d) => Promise.all([send(stack, d), send(stack, d)])))
  ).flat();
  const records = await deliveries(stack, admin, trigger.id);
  const started = records.filter((r) => r.outcome === 'started');
  const run = await stack.waitForRun(admin, started[0]?.runId);
  await stack.executions.idle();

  // Assess
  expect(examples.length).toBeGreaterThanOrEqual(60);
  expect(answers.map((a) => a.status).filter((s) => s !== 202)).toEqual([]);
  expect(records).toHaveLength(sent.length * 2);
  expect(started).toHaveLength(1);
  expect(started[0].event).toBe('pull_request.opened');
  expect(run.status).toBe('SUCCEEDED');
  expect(run.input).toMatchObject({
    repository: 'Codertocat/Hello-World',
    number: 2,
    headSha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
    title: 'Update the README with new information.',
  });
  const byOutcome = (o: string) => records.filter((r) => r.outcome === o);
  expect(byOutcome('duplicate').length).toBeGreaterThanOrEqual(sent.length);
  expect(byOutcome('duplicate').some((r) => /already reviewed/.test(r.reason))).toBe(true);
  const ignored = byOutcome('ignored');
  expect(ignored.find((r) => r.event === 'issues.opened')?.reason).toMatch(
    /event issues.opened is not one of/,
  );
  expect(ignored.find((r) => r.event === 'push')?.reason).toMatch(/event push is not one of/);
  expect(byOutcome('rejected')).toEqual([]);
  expect(github.comments).toHaveLength(1);
  expect(github.comments[0].issue).toBe('Codertocat/Hello-World#2');
  expect(github.comments[0].body).toContain('<!-- hishamos:run-comment:pr-review:comment -->');
  expect(github.comments[0].body).toContain(`(http://console.test/#/runs/${run.id})`);
  expect(github.comments[0].body).toMatch(/cost \$\d+\.\d{2}/);
  expect(github.statuses).toEqual([
    expect.objectContaining({
      repo: 'Codertocat/Hello-World',
      sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      state: 'success',
      context: 'hishamos/pr-review',
      target_url: `http://console.test/#/runs/${run.id}`,
    }),
  ]);
  expect(github.requests.every((r) => r.headers.authorization === `token ${TOKEN}`)).toBe(true);
  expect(github.problems).toEqual([]);
});

test('a re-run updates the same comment instead of adding one', async () => {
  // Prepare
  const trigger = await prTrigger('rerun');
  const [opened] = githubExamples('pull_request').filter((e) => e.payload.action === 'opened');
  const first = await send(
    stack,
    githubDelivery(trigger.id, trigger.secret, 'pull_request', opened.payload),
  );
  await stack.waitForRun(admin, first.body.runId);
  const commentId = github.comments[0]?.id;

  // Act
  const rerun = await stack.call('POST', `/v1/runs/${first.body.runId}/rerun`, {
    token: admin,
    body: {},
  });
  const second = await stack.waitForRun(admin, rerun.body.runId);

  // Assess
  expect(first.status).toBe(202);
  expect(second.status).toBe('SUCCEEDED');
  expect(github.comments).toHaveLength(1);
  expect(github.comments[0].id).toBe(commentId);
  expect(github.comments[0].body).toContain(`/#/runs/${rerun.body.runId}`);
  expect(
    github.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/comments')),
  ).toHaveLength(1);
  expect(github.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  expect(github.problems).toEqual([]);
});

test('a 5xx and a 429 from GitHub are retried by the step ASL Retry, and the run succeeds', async () => {
  // Prepare
  const trigger = await prTrigger('flaky-github');
  const [opened] = githubExamples('pull_request').filter((e) => e.payload.action === 'opened');
  github.failNext(502, 2, /^POST \/repos\/.+\/statuses\//);
  github.failNext(429, 1, /^GET \/repos\/.+\/comments$/);

  // Act
  const ack = await send(
    stack,
    githubDelivery(trigger.id, trigger.secret, 'pull_request', opened.payload),
  );
  const run = await stack.waitForRun(admin, ack.body.runId);

  // Assess
  expect(run.status).toBe('SUCCEEDED');
  expect(github.requests.filter((r) => r.path.includes('/statuses/')).map((r) => r.status)).toEqual(
    [502, 502, 201],
  );
  expect(
    github.requests
      .filter((r) => r.method === 'GET' && r.path.endsWith('/comments'))
      .map((r) => r.status),
  ).toEqual([429, 200]);
  expect(github.statuses).toHaveLength(1);
  expect(github.comments).toHaveLength(1);
});

test('a GitHub 401 fails the step without retrying it', async () => {
  // Prepare
  const trigger = await prTrigger('bad-token', {
    credentials: { type: 'token', token: 'ghp_revokedTokenXXXXXXXX' },
  });
  const [opened] = githubExamples('pull_request').filter((e) => e.payload.action === 'opened');

  // Act
  const ack = await send(
    stack,
    githubDelivery(trigger.id, trigger.secret, 'pull_request', opened.payload),
  );
  const run = await stack.waitForRun(admin, ack.body.runId);

  // Assess
  expect(run.status).toBe('FAILED');
  const comment = run.steps.find((s: any) => s.nodeId === 'comment');
  expect(comment.error).toMatchObject({ name: 'ProviderAuthError' });
  expect(JSON.stringify(run)).not.toContain('ghp_revokedTokenXXXXXXXX');
  expect(github.requests.filter((r) => r.path.endsWith('/comments'))).toHaveLength(1);
});

test('rules: draft, labels and branch filters ignore with a reason', async () => {
  // Prepare
  const trigger = await prTrigger('filters', {
    rules: { events: ['pull_request'], labels: ['needs-review'], draft: false },
  });
  const [labeled] = githubExamples('pull_request').filter((e) => e.payload.action === 'labeled');
  const [draft] = githubExamples('pull_request').filter(
    (e) => e.payload.action === 'converted_to_draft',
  );

  // Act
  const a = await send(
    stack,
    githubDelivery(trigger.id, trigger.secret, 'pull_request', labeled.payload),
  );
  const b = await send(
    stack,
    githubDelivery(trigger.id, trigger.secret, 'pull_request', {
      ...draft.payload,
      pull_request: { ...draft.payload.pull_request, labels: [{ name: 'needs-review' }] },
    }),
  );

  // Assess
  expect(a.status).toBe(202);
  expect(a.body).toMatchObject({
    outcome: 'ignored',
    reason: 'labels [bug] include none of needs-review',
  });
  expect(b.body).toMatchObject({ outcome: 'ignored', reason: 'pull request is a draft' });
});

test('trigger validation: rules of the other source, bad paths, unsafe API URLs and unknown workflows are 400/404 naming the field', async () => {
  // Act
  const jiraRule = await stack.call('POST', '/v1/triggers', {
    token: admin,
    body: {
      name: 'x',
      source: 'github',
      workflowId: 'pr-review',
      rules: { events: ['pull_request'], projects: ['OPS'] },
    },
  });
  const badPath = await stack.call('POST', '/v1/triggers', {
    token: admin,
    body: {
      name: 'x',
      source: 'github',
      workflowId: 'pr-review',
      rules: { events: ['pull_request'] },
      inputMapping: { title: '$.a..b' },
    },
  });
  const unsafe = await stack.call('POST', '/v1/triggers', {
    token: admin,
    body: {
      name: 'x',
      source: 'github',
      workflowId: 'pr-review',
      rules: { events: ['pull_request'] },
      apiBaseUrl: 'http://169.254.169.254/latest',
    },
  });
  const wrongCreds = await stack.call('POST', '/v1/triggers', {
    token: admin,
    body: {
      name: 'x',
      source: 'github',
      workflowId: 'pr-review',
      rules: { events: ['pull_request'] },
      credentials: { type: 'basic', email: 'a@b.test', apiToken: '12345678' },
    },
  });
  const noWorkflow = await stack.call('POST', '/v1/triggers', {
    token: admin,
    body: {
      name: 'x',
      source: 'github',
      workflowId: 'no-such-workflow',
      rules: { events: ['pull_request'] },
    },
  });

  // Assess
  expect([
    jiraRule.status,
    badPath.status,
    unsafe.status,
    wrongCreds.status,
    noWorkflow.status,
  ]).toEqual([400, 400, 400, 400, 404]);
  expect(jiraRule.body.error.details[0].path).toBe('rules.projects');
  expect(badPath.body.error.details[0].path).toBe('inputMapping.title');
  expect(unsafe.body.error.details[0].path).toBe('apiBaseUrl');
  expect(wrongCreds.body.error.details[0].path).toBe('credentials.type');
});

test('PATCH disables a trigger (deliveries ignored with the reason) and DELETE removes it and its secret', async () => {
  // Prepare
  const trigger = await prTrigger('lifecycle');
  const [opened] = githubExamples('pull_request').filter((e) => e.payload.action === 'opened');
  const tenantId = (await stack.call('GET', '/v1/me', { token: admin })).body.tenant.id;
  const secretId = `${stack.platform.config.TENANT_SECRETS_PREFIX}${tenantId}/triggers/${trigger.id}`;
  const secretBefore = await stack.platform.secrets.get(secretId);

  // Act
  const patched = await stack.call('PATCH', `/v1/triggers/${trigger.id}`, {
    token: admin,
    body: { enabled: false, credentials: null },
  });
  const whileDisabled = await send(
    stack,
    githubDelivery(trigger.id, trigger.secret, 'pull_request', opened.payload),
  );
  const removed = await stack.call('DELETE', `/v1/triggers/${trigger.id}`, { token: admin });
  const afterDelete = await send(
    stack,
    githubDelivery(trigger.id, trigger.secret, 'pull_request', opened.payload),
  );
  const secretLeft = await stack.platform.secrets.get(secretId);

  // Assess
  expect(patched.status).toBe(200);
  expect(patched.body).toMatchObject({ enabled: false, credentials: null });
  expect(whileDisabled.body).toMatchObject({ outcome: 'ignored', reason: 'trigger is disabled' });
  expect(removed.status).toBe(204);
  expect(afterDelete.status).toBe(404);
  expect(secretBefore).toBe(trigger.secret);
  expect(secretLeft).toBeUndefined();
});
