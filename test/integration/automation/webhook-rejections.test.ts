/**
 * Bad deliveries get a clear 4xx and start nothing: wrong or missing signature, invalid JSON,
 * body over the size limit, replayed delivery id with another body, stale delivery, unknown trigger.
 */
import { randomUUID } from 'node:crypto';
import { startTestStack, type TestStack } from '../../support/stack';
import {
  createTrigger,
  createWorkflow,
  deliveries,
  githubDelivery,
  githubExamples,
  jiraDelivery,
  jiraFixture,
  reviewWorkflow,
  send,
  sign,
} from './support';

let stack: TestStack;
let admin: string;
let trigger: Awaited<ReturnType<typeof createTrigger>>;
const [opened] = githubExamples('pull_request').filter((e) => e.payload.action === 'opened');

beforeAll(async () => {
  stack = await startTestStack();
  admin = await stack.adminToken();
  await createWorkflow(stack, admin, reviewWorkflow('pr-review'));
  trigger = await createTrigger(stack, admin, {
    name: 'rejections',
    source: 'github',
    workflowId: 'pr-review',
    rules: { events: ['pull_request', 'issues'] },
  });
}, 60_000);
afterAll(async () => stack?.close());

async function runCount(): Promise<number> {
  return (await stack.call('GET', '/v1/runs?limit=200', { token: admin })).body.items.length;
}

test.each([
  [
    'a wrong signature',
    (d: ReturnType<typeof githubDelivery>) => ({
      ...d,
      headers: { ...d.headers, 'x-hub-signature-256': sign('not-the-secret', d.raw) },
    }),
    401,
    'Unauthorized',
    /signature does not match/,
  ],
  [
    'a missing signature',
    (d: ReturnType<typeof githubDelivery>) => ({
      ...d,
      headers: { ...d.headers, 'x-hub-signature-256': '' },
    }),
    401,
    'Unauthorized',
    /missing signature/,
  ],
  [
    'a sha1 signature',
    (d: ReturnType<typeof githubDelivery>) => ({
      ...d,
      headers: { ...d.headers, 'x-hub-signature-256': `sha1=${'0'.repeat(40)}` },
    }),
    401,
    'Unauthorized',
    /unsupported signature algorithm/,
  ],
  [
    'a body changed after signing',
    (d: ReturnType<typeof githubDelivery>) => ({
      ...d,
      raw: d.raw.replace('Update the README', 'Update the READMX'),
    }),
    401,
    'Unauthorized',
    /signature does not match/,
  ],
  [
    'no delivery id',
    (d: ReturnType<typeof githubDelivery>) => ({
      ...d,
      headers: { ...d.headers, 'x-github-delivery': '' },
    }),
    400,
    'ValidationError',
    /x-github-delivery/,
  ],
  [
    'a JSON array body',
    () => githubDelivery(trigger.id, trigger.secret, 'pull_request', [1, 2]),
    400,
    'ValidationError',
    /JSON object/,
  ],
])('%s → %s, nothing started', async (_label, mutate, status, code, message) => {
  // Prepare
  const before = await runCount();
  const delivery = mutate(
    githubDelivery(trigger.id, trigger.secret, 'pull_request', opened.payload),
  );

  // Act
  const res = await send(stack, delivery);

  // Assess
  expect(res.status).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(res.body.error.message).toMatch(message);
  expect(await runCount()).toBe(before);
});

test('invalid JSON (signed) → 400 MalformedJson; a non-JSON content type too', async () => {
  // Prepare
  const raw = '{"action": "opened", ';
  const headers = {
    'x-github-event': 'pull_request',
    'x-github-delivery': randomUUID(),
    'x-hub-signature-256': sign(trigger.secret, raw),
  };
  const form = 'payload=%7B%7D';

  // Act
  const res = await stack.call('POST', `/v1/webhooks/github/${trigger.id}`, {
    rawBody: raw,
    headers,
  });
  const formRes = await stack.call('POST', `/v1/webhooks/github/${trigger.id}`, {
    rawBody: form,
    headers: {
      ...headers,
      'content-type': 'application/x-www-form-urlencoded',
      'x-hub-signature-256': sign(trigger.secret, form),
    },
  });

  // Assess
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('MalformedJson');
  expect(formRes.status).toBe(400);
  expect(formRes.body.error.code).toBe('MalformedJson');
});

test('a body over the size limit → 413', async () => {
  // Prepare
  const big = {
    ...opened.payload,
    pull_request: { ...opened.payload.pull_request, body: 'x'.repeat(1024 * 1024 + 1) },
  };

  // Act
  const res = await send(stack, githubDelivery(trigger.id, trigger.secret, 'pull_request', big));

  // Assess
  expect(res.status).toBe(413);
  expect(res.body.error.code).toBe('PayloadTooLarge');
});

test('a delivery id replayed with another (validly signed) body → 409, nothing started', async () => {
  // Prepare
  const id = randomUUID();
  const [issue] = githubExamples('issues');
  const first = await send(
    stack,
    githubDelivery(trigger.id, trigger.secret, 'issues', issue.payload, id),
  );
  const before = await runCount();

  // Act
  const replay = await send(
    stack,
    githubDelivery(trigger.id, trigger.secret, 'pull_request', opened.payload, id),
  );

  // Assess
  expect(first.status).toBe(202);
  expect(replay.status).toBe(409);
  expect(replay.body.error.code).toBe('ReplayedDelivery');
  expect(await runCount()).toBe(before);
});

test("the same delivery after GitHub's 3-day redelivery window is stale → 400, nothing started", async () => {
  // Prepare
  const [issue] = githubExamples('issues');
  // A body of its own: the same signed body under another delivery id would be a replay.
  const payload = { ...issue.payload, issue: { ...issue.payload.issue, title: randomUUID() } };
  const delivery = githubDelivery(trigger.id, trigger.secret, 'issues', payload);
  const first = await send(stack, delivery);
  const before = await runCount();
  const realNow = stack.platform.now;
  (stack.platform as { now: () => number }).now = () => Date.now() + 4 * 24 * 3600_000;

  // Act
  const late = await send(stack, delivery).finally(
    () => ((stack.platform as { now: () => number }).now = realNow),
  );

  // Assess
  expect(first.status).toBe(202);
  expect(late.status).toBe(400);
  expect(late.body.error.code).toBe('StaleDelivery');
  expect(await runCount()).toBe(before);
});

test('a Jira delivery stamped days ago is stale → 400', async () => {
  // Prepare
  const jira = await createTrigger(stack, admin, {
    name: 'jira-stale',
    source: 'jira',
    workflowId: 'pr-review',
    rules: { events: ['jira:issue_created'] },
  });
  const payload = { ...jiraFixture('issue_created'), timestamp: Date.now() - 5 * 24 * 3600_000 };

  // Act
  const res = await send(stack, jiraDelivery(jira.id, jira.secret, payload));

  // Assess
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('StaleDelivery');
});

test('unknown trigger, or a Jira delivery to a GitHub trigger → 404', async () => {
  // Act
  const unknown = await send(
    stack,
    githubDelivery(randomUUID(), trigger.secret, 'pull_request', opened.payload),
  );
  const crossed = await send(stack, {
    ...jiraDelivery(trigger.id, trigger.secret, jiraFixture('issue_created')),
  });

  // Assess
  expect(unknown.status).toBe(404);
  expect(crossed.status).toBe(404);
});

test('rejected deliveries are recorded with their reason; another tenant cannot see them', async () => {
  // Prepare
  const viewer = await stack.signup('automation viewer');

  // Act
  const records = await deliveries(stack, admin, trigger.id);
  const foreign = await stack.call('GET', `/v1/triggers/${trigger.id}/deliveries`, {
    token: viewer.accessToken,
  });

  // Assess
  const rejected = records.filter((r) => r.outcome === 'rejected');
  expect(rejected.map((r) => r.reason)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/signature does not match/),
      expect.stringMatching(/missing signature/),
      expect.stringMatching(/different body/),
      expect.stringMatching(/redelivery window/),
    ]),
  );
  expect(rejected.every((r) => r.runId === null)).toBe(true);
  expect(foreign.status).toBe(404);
});
