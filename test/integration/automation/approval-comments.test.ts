/**
 * Approvals answered from where the work is (issue 13, ADR 161): a signed `issue_comment` on the
 * pull request, or a Jira `comment_created` on the issue, that started a run now WAITING. The
 * commenter's permission is asked of the loopback fake GitHub/Jira with the trigger's credentials.
 */
import { randomUUID } from 'node:crypto';
import { startFakeGithub, type FakeGithub } from '../../fakes/github/server';
import { startFakeJira, type FakeJira } from '../../fakes/jira/server';
import { startTestStack, type TestStack } from '../../support/stack';
import {
  createTrigger,
  createWorkflow,
  deliveries,
  githubDelivery,
  githubExamples,
  jiraDelivery,
  jiraFixture,
  send,
} from './support';

const TOKEN = 'ghp_fakeTokenForApprovals0123456789';
const OTHER_TOKEN = 'ghp_fakeTokenOfTenantB0123456789';
const JIRA = { email: 'bot@example.test', apiToken: 'jira-api-token-approvals-0123' };
const REPO = 'Codertocat/Hello-World';
const LEAD = '5b10a2844c20165700ede21g';
const VISITOR = '5b10a2844c20165700ede99z';

let stack: TestStack;
let github: FakeGithub;
let jira: FakeJira;
let admin: string;

beforeAll(async () => {
  github = await startFakeGithub({ tokens: [TOKEN, OTHER_TOKEN] });
  jira = await startFakeJira({
    ...JIRA,
    issues: { 'TEST-2': { status: 'To Do' } },
    transitioners: [LEAD],
  });
  github.roles.set(`${REPO}:maintainer-mo`.toLowerCase(), 'maintain');
  github.roles.set(`${REPO}:triager-tess`.toLowerCase(), 'triage');
  stack = await startTestStack();
  admin = await stack.adminToken();
  await createWorkflow(stack, admin, gatedWorkflow('gated-pr'));
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await Promise.all([github?.close(), jira?.close()]);
});

/** Review, then a sign-off; approval ships, rejection takes the failure edge to a note. */
function gatedWorkflow(slug: string) {
  return {
    slug,
    name: `Gated ${slug}`,
    nodes: [
      { id: 'review', type: 'agent', agent: 'reviewer', prompt: 'Review {{input.title}}' },
      { id: 'signoff', type: 'approval' },
      { id: 'ship', type: 'agent', agent: 'reviewer', prompt: 'Ship {{steps.review.output}}' },
      { id: 'abandon', type: 'agent', agent: 'reviewer', prompt: 'Explain the rejection' },
    ],
    edges: [
      { from: 'review', to: 'signoff' },
      { from: 'signoff', to: 'ship' },
      { from: 'signoff', to: 'abandon', when: 'failure' },
    ],
  };
}

async function prTrigger(name: string, token = admin, credential = TOKEN, workflow = 'gated-pr') {
  return createTrigger(stack, token, {
    name,
    source: 'github',
    workflowId: workflow,
    rules: { events: ['pull_request.opened'], repositories: [REPO] },
    credentials: { type: 'token', token: credential },
    apiBaseUrl: github.url,
  });
}

/** The real `pull_request.opened` example with its own number and head SHA. */
function opened(number: number) {
  const base = githubExamples('pull_request').find((e) => e.payload.action === 'opened')!.payload;
  return {
    ...base,
    number,
    pull_request: {
      ...base.pull_request,
      number,
      head: { ...base.pull_request.head, sha: randomUUID().replace(/-/g, '').padEnd(40, '0') },
    },
  };
}

/** The real `issue_comment.created` example, moved onto pull request `number`. */
function commented(number: number, login: string, body: string) {
  const base = githubExamples('issue_comment').find((e) => e.payload.action === 'created')!.payload;
  return {
    ...base,
    issue: {
      ...base.issue,
      number,
      pull_request: { url: `https://api.github.com/repos/${REPO}/pulls/${number}` },
    },
    comment: {
      ...base.comment,
      id: Math.floor(Math.random() * 1e9),
      body,
      user: { ...base.comment.user, login },
    },
  };
}

async function waitingRun(trigger: { id: string; secret: string }, number: number) {
  const ack = await send(
    stack,
    githubDelivery(trigger.id, trigger.secret, 'pull_request', opened(number)),
  );
  if (ack.body.outcome !== 'started') throw new Error(`not started: ${JSON.stringify(ack.body)}`);
  return stack.waitForRun(admin, ack.body.runId);
}

const step = (run: any, node: string) => run.steps.find((s: any) => s.nodeId === node);

test('/approve from a maintainer resumes the run to SUCCEEDED as github:<login>, with a reply; its redelivery and replay do not answer again', async () => {
  // Prepare
  const trigger = await prTrigger('approve');
  const waiting = await waitingRun(trigger, 41);
  const comment = githubDelivery(
    trigger.id,
    trigger.secret,
    'issue_comment',
    commented(41, 'maintainer-mo', '  /approve looks good\nthanks'),
  );

  // Act
  const ack = await send(stack, comment);
  const done = await stack.waitForRun(admin, waiting.id);
  const redelivered = await send(stack, comment);
  const replayed = await send(stack, {
    ...comment,
    headers: { ...comment.headers, 'x-github-delivery': randomUUID() },
  });
  const again = await send(
    stack,
    githubDelivery(
      trigger.id,
      trigger.secret,
      'issue_comment',
      commented(41, 'maintainer-mo', '/approve'),
    ),
  );
  const audit = await stack.call('GET', '/v1/audit?action=run.approve&limit=200', { token: admin });
  const records = await deliveries(stack, admin, trigger.id);

  // Assess
  expect(waiting.status).toBe('WAITING');
  expect(ack.status).toBe(202);
  expect(ack.body).toMatchObject({ outcome: 'answered', runId: waiting.id });
  expect(done.status).toBe('SUCCEEDED');
  expect(step(done, 'signoff').output).toEqual({
    approved: true,
    by: 'github:maintainer-mo',
    comment: 'looks good',
  });
  expect(step(done, 'ship').status).toBe('SUCCEEDED');
  expect(
    audit.body.items.filter((e: any) => e.target === `run:${waiting.id}`).map((e: any) => e.actor),
  ).toEqual(['github:maintainer-mo']);
  expect(github.permissionChecks).toContain(`${REPO}:maintainer-mo`.toLowerCase());
  const replies = github.comments.filter((c) => c.issue === `${REPO}#41`);
  expect(replies).toHaveLength(1);
  expect(replies[0].body).toMatch(/^Approved by github:maintainer-mo: signoff of run /);
  expect(replies[0].body).toContain('<!-- hishamos:run-comment:approval -->');
  expect(redelivered.body.outcome).toBe('duplicate');
  expect(replayed.status).toBe(409);
  expect(again.status).toBe(202);
  expect(again.body).toMatchObject({ outcome: 'ignored' });
  expect(again.body.reason).toMatch(/no run of this trigger for codertocat\/hello-world#41 waits/);
  expect(records.filter((r) => r.outcome === 'answered')).toHaveLength(1);
});

test('/reject too risky takes the rejection path with the reason', async () => {
  // Prepare
  const trigger = await prTrigger('reject');
  github.roles.set(`${REPO}:admin-ada`.toLowerCase(), 'admin');
  const waiting = await waitingRun(trigger, 42);

  // Act
  const ack = await send(
    stack,
    githubDelivery(
      trigger.id,
      trigger.secret,
      'issue_comment',
      commented(42, 'admin-ada', '/reject too risky'),
    ),
  );
  const done = await stack.waitForRun(admin, waiting.id);

  // Assess
  expect(ack.body).toMatchObject({ outcome: 'answered', runId: waiting.id });
  expect(step(done, 'signoff').status).toBe('FAILED');
  expect(step(done, 'signoff').output).toEqual({
    approved: false,
    by: 'github:admin-ada',
    comment: 'too risky',
  });
  expect(step(done, 'signoff').error).toMatchObject({
    name: 'ApprovalRejected',
    message: 'too risky',
  });
  expect(step(done, 'abandon').status).toBe('SUCCEEDED');
  expect(step(done, 'ship').status).not.toBe('SUCCEEDED');
});

test('a commenter without write access is refused, told why, and the run still waits; other comments are ignored', async () => {
  // Prepare
  const trigger = await prTrigger('refuse');
  const waiting = await waitingRun(trigger, 43);

  // Act
  const triage = await send(
    stack,
    githubDelivery(
      trigger.id,
      trigger.secret,
      'issue_comment',
      commented(43, 'triager-tess', '/approve'),
    ),
  );
  const stranger = await send(
    stack,
    githubDelivery(
      trigger.id,
      trigger.secret,
      'issue_comment',
      commented(43, 'drive-by', '/approve'),
    ),
  );
  const chatter = await send(
    stack,
    githubDelivery(
      trigger.id,
      trigger.secret,
      'issue_comment',
      commented(43, 'maintainer-mo', 'please /approve soon'),
    ),
  );
  const after = await stack.call('GET', `/v1/runs/${waiting.id}`, { token: admin });
  const records = await deliveries(stack, admin, trigger.id);

  // Assess
  expect([triage.status, stranger.status, chatter.status]).toEqual([202, 202, 202]);
  expect(triage.body.outcome).toBe('refused');
  expect(triage.body.reason).toMatch(/github:triager-tess: needs write access to .*, has triage/);
  expect(stranger.body.outcome).toBe('refused');
  expect(chatter.body.outcome).toBe('ignored');
  expect(after.body.status).toBe('WAITING');
  expect(step(after.body, 'signoff').status).toBe('WAITING');
  expect(records.filter((r) => r.outcome === 'refused').map((r) => r.runId)).toEqual([
    waiting.id,
    waiting.id,
  ]);
  const replies = github.comments.filter((c) => c.issue === `${REPO}#43`);
  expect(replies.map((c) => c.body.split('\n')[0])).toEqual(
    expect.arrayContaining([
      expect.stringMatching(
        /^github:triager-tess may not answer this approval: needs write access/,
      ),
    ]),
  );
});

test('Jira: /approve on the issue that started the run, from an author who may transition it', async () => {
  // Prepare
  await createWorkflow(stack, admin, {
    slug: 'gated-jira',
    name: 'Gated Jira',
    nodes: [
      { id: 'triage', type: 'agent', agent: 'pm', prompt: 'Triage {{input.issueKey}}' },
      { id: 'signoff', type: 'approval' },
    ],
    edges: [{ from: 'triage', to: 'signoff' }],
  });
  const trigger = await createTrigger(stack, admin, {
    name: 'jira approvals',
    source: 'jira',
    workflowId: 'gated-jira',
    apiBaseUrl: jira.url,
    rules: { events: ['jira:issue_created'], projects: ['TEST'] },
    credentials: { type: 'basic', ...JIRA },
  });
  const started = await send(
    stack,
    jiraDelivery(trigger.id, trigger.secret, jiraFixture('issue_created')),
  );
  const waiting = await stack.waitForRun(admin, started.body.runId);
  const comment = (accountId: string, body: string) => {
    const c = jiraFixture('comment_created');
    return { ...c, comment: { ...c.comment, body, author: { ...c.comment.author, accountId } } };
  };

  // Act
  const visitor = await send(
    stack,
    jiraDelivery(trigger.id, trigger.secret, comment(VISITOR, '/approve')),
  );
  const lead = await send(
    stack,
    jiraDelivery(trigger.id, trigger.secret, comment(LEAD, '/approve ship it')),
  );
  const done = await stack.waitForRun(admin, waiting.id);

  // Assess
  expect(waiting.status).toBe('WAITING');
  expect(visitor.body).toMatchObject({ outcome: 'refused', runId: waiting.id });
  expect(visitor.body.reason).toMatch(/needs TRANSITION_ISSUES on TEST-2/);
  expect(lead.body).toMatchObject({ outcome: 'answered', runId: waiting.id });
  expect(done.status).toBe('SUCCEEDED');
  expect(step(done, 'signoff').output).toEqual({
    approved: true,
    by: `jira:${LEAD}`,
    comment: 'ship it',
  });
  expect(jira.permissionSearches.every((q) => q.includes('issueKey=TEST-2'))).toBe(true);
  expect(
    jira.comments.some(
      (c) => c.issue === 'TEST-2' && c.body.startsWith(`Approved by jira:${LEAD}`),
    ),
  ).toBe(true);
});

test("a comment on tenant B's trigger never answers tenant A's waiting run for the same pull request", async () => {
  // Prepare: tenant A waits on #44; tenant B has its own trigger (and credentials) on the same repository
  const triggerA = await prTrigger('tenant-a');
  const waiting = await waitingRun(triggerA, 44);
  const b = await stack.signup('Tenant B');
  await createWorkflow(stack, b.accessToken, {
    slug: 'b-gate',
    name: 'B gate',
    nodes: [{ id: 'signoff', type: 'approval' }],
    edges: [],
  });
  const triggerB = await prTrigger('tenant-b', b.accessToken, OTHER_TOKEN, 'b-gate');
  github.roles.set(`${REPO}:admin-ada`.toLowerCase(), 'admin');
  const checksBefore = github.permissionChecks.length;

  // Act
  const ack = await send(
    stack,
    githubDelivery(
      triggerB.id,
      triggerB.secret,
      'issue_comment',
      commented(44, 'admin-ada', '/approve'),
    ),
  );
  const after = await stack.call('GET', `/v1/runs/${waiting.id}`, { token: admin });
  const recordsB = await deliveries(stack, b.accessToken, triggerB.id);

  // Assess
  expect(ack.status).toBe(202);
  expect(ack.body.outcome).toBe('ignored');
  expect(ack.body.runId).toBeUndefined();
  expect(after.body.status).toBe('WAITING');
  expect(step(after.body, 'signoff').status).toBe('WAITING');
  expect(github.permissionChecks.length).toBe(checksBefore);
  expect(recordsB.map((r) => r.outcome)).toEqual(['ignored']);
});

test('an API answer and a comment racing: exactly one answers, the other is told it was answered', async () => {
  // Prepare
  const trigger = await prTrigger('race');
  github.roles.set(`${REPO}:admin-ada`.toLowerCase(), 'admin');
  const waiting = await waitingRun(trigger, 45);

  // Act
  const [api, comment] = await Promise.all([
    stack.call('POST', `/v1/runs/${waiting.id}/steps/signoff/approve`, {
      token: admin,
      body: { comment: 'from the console' },
    }),
    send(
      stack,
      githubDelivery(
        trigger.id,
        trigger.secret,
        'issue_comment',
        commented(45, 'admin-ada', '/reject not yet'),
      ),
    ),
  ]);
  const done = await stack.waitForRun(admin, waiting.id);
  const audit = await stack.call('GET', '/v1/audit?limit=200', { token: admin });
  const answers = audit.body.items.filter(
    (e: any) => e.target === `run:${waiting.id}` && /^run\.(approve|reject)$/.test(e.action),
  );

  // Assess
  // The API wins (the comment finds nothing waiting) or the comment wins (the API gets a 409).
  expect([
    [202, 'ignored'],
    [409, 'answered'],
  ]).toContainEqual([api.status, comment.body.outcome]);
  expect(answers).toHaveLength(1);
  expect(step(done, 'signoff').output.by).toBe(answers[0].actor);
  expect(step(done, 'signoff').output.approved).toBe(api.status === 202);
});

test('concurrent API answers to one approval: one 202, the rest 409, one audit entry', async () => {
  // Prepare
  const trigger = await prTrigger('concurrent');
  const waiting = await waitingRun(trigger, 46);

  // Act
  const answers = await Promise.all(
    [1, 2, 3, 4].map((i) =>
      stack.call('POST', `/v1/runs/${waiting.id}/steps/signoff/approve`, {
        token: admin,
        body: { comment: `answer ${i}` },
      }),
    ),
  );
  const done = await stack.waitForRun(admin, waiting.id);
  const audit = await stack.call('GET', '/v1/audit?action=run.approve&limit=200', {
    token: admin,
  });

  // Assess
  expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409, 409]);
  expect(audit.body.items.filter((e: any) => e.target === `run:${waiting.id}`)).toHaveLength(1);
  expect(done.status).toBe('SUCCEEDED');
});

test('GitHub down during the permission check: the delivery fails and its redelivery answers', async () => {
  // Prepare
  const trigger = await prTrigger('outage');
  github.roles.set(`${REPO}:admin-ada`.toLowerCase(), 'admin');
  const waiting = await waitingRun(trigger, 47);
  const comment = githubDelivery(
    trigger.id,
    trigger.secret,
    'issue_comment',
    commented(47, 'admin-ada', '/approve'),
  );
  github.failNext(503, 1, /collaborators/);

  // Act
  const failed = await send(stack, comment);
  const meanwhile = await stack.call('GET', `/v1/runs/${waiting.id}`, { token: admin });
  const redelivered = await send(stack, comment);
  const done = await stack.waitForRun(admin, waiting.id);

  // Assess
  expect(failed.status).toBeGreaterThanOrEqual(500);
  expect(meanwhile.body.status).toBe('WAITING');
  expect(redelivered.body).toMatchObject({ outcome: 'answered', runId: waiting.id });
  expect(done.status).toBe('SUCCEEDED');
  expect([...github.problems, ...jira.problems]).toEqual([]);
});
