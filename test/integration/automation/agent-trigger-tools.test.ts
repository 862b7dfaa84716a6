/**
 * An agent's GitHub and Jira tools (ADR 130) read with the credentials of the trigger that started
 * the run: a pull request webhook starts a run whose agent (the offline simulator, scripted to call
 * its first tool with arguments from the prompt) reads the PR diff from the GitHub fake. The
 * token never reaches the model or the trace, even when the API echoes it; a run without a
 * trigger gets a clear error result instead.
 */
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

const TOKEN = 'ghp_AgentToolsFakeToken0123456789';
const JIRA = { email: 'bot@example.test', apiToken: 'jira-agent-tools-token-0123456789' };
let github: FakeGithub;
let jira: FakeJira;
let stack: TestStack;
let admin: string;

beforeAll(async () => {
  github = await startFakeGithub({ tokens: [TOKEN] });
  jira = await startFakeJira({
    ...JIRA,
    issues: {
      'TEST-2': {
        status: 'To Do',
        summary: 'Login button does nothing',
        description: `Steps: click login. Seen with ${JIRA.apiToken} in the console.`,
      },
    },
  });
  stack = await startTestStack();
  admin = await stack.adminToken();
  const agent = await stack.call('POST', '/v1/agents', {
    token: admin,
    body: {
      slug: 'diff-reader',
      name: 'Diff reader',
      model: 'simulator:echo',
      tools: ['github.get_pull_request_diff'],
    },
  });
  expect(agent.status).toBe(201);
  await createWorkflow(stack, admin, {
    slug: 'pr-diff',
    name: 'Read the diff',
    nodes: [
      {
        id: 'read',
        type: 'agent',
        agent: 'diff-reader',
        prompt: 'Review pull request {{input.number}} of {{input.repository}}',
      },
    ],
    edges: [],
  });
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await github?.close();
  await jira?.close();
});

async function toolCallsOf(runId: string) {
  const events = await stack.call('GET', `/v1/runs/${runId}/events?limit=200`, { token: admin });
  return events.body.items.filter((e: any) => e.type === 'step.tool_call');
}

test('a webhook-started run reads the PR diff with the trigger’s token, and the token stays out', async () => {
  // Prepare: the diff (carelessly) echoes the token
  github.diffs.set(
    'Codertocat/Hello-World#2',
    `diff --git a/README.md b/README.md\n+Hello, quokka\n# debug: ${TOKEN}\n`,
  );
  const trigger = await createTrigger(stack, admin, {
    name: 'diffs',
    source: 'github',
    workflowId: 'pr-diff',
    rules: { events: ['pull_request.opened'], repositories: ['codertocat/hello-world'] },
    credentials: { type: 'token', token: TOKEN },
    apiBaseUrl: github.url,
  });
  const [opened] = githubExamples('pull_request').filter((e) => e.payload.action === 'opened');

  // Act
  await send(stack, githubDelivery(trigger.id, trigger.secret, opened.event, opened.payload));
  const started = (await deliveries(stack, admin, trigger.id)).find((d) => d.outcome === 'started');
  const run = await stack.waitForRun(admin, started.runId, 30_000);
  const calls = await toolCallsOf(run.id);

  // Assess
  expect(run.status).toBe('SUCCEEDED');
  expect(calls).toHaveLength(1);
  expect(calls[0].data).toMatchObject({
    tool: 'github.get_pull_request_diff',
    arguments: { repository: 'Codertocat/Hello-World', number: 2 },
  });
  expect(calls[0].data.result).toContain('+Hello, quokka');
  expect(calls[0].data.result).toContain('[redacted]');
  expect(run.steps[0].output).toContain('+Hello, quokka');
  const seen = JSON.stringify([run, calls]);
  expect(seen).not.toContain(TOKEN);
  const asked = github.requests.filter((r) => r.path === '/repos/Codertocat/Hello-World/pulls/2');
  expect(asked.map((r) => r.headers.authorization)).toEqual([`token ${TOKEN}`]);
  expect(github.problems).toEqual([]);
});

test('a run not started by a trigger gets an error result naming why, and still answers', async () => {
  // Act
  const started = await stack.call('POST', '/v1/workflows/pr-diff/runs', {
    token: admin,
    body: { input: { number: 2, repository: 'Codertocat/Hello-World' } },
  });
  const run = await stack.waitForRun(admin, started.body.runId, 30_000);
  const calls = await toolCallsOf(run.id);

  // Assess
  expect(run.status).toBe('SUCCEEDED');
  expect(calls).toHaveLength(1);
  expect(calls[0].data.error).toContain('not started by a trigger');
  expect(run.steps[0].output).toContain('From github_get_pull_request_diff (failed)');
});

test('a Jira-started run reads the issue with the trigger’s basic credentials', async () => {
  // Prepare
  const agent = await stack.call('POST', '/v1/agents', {
    token: admin,
    body: {
      slug: 'issue-reader',
      name: 'Issue reader',
      model: 'simulator:echo',
      tools: ['jira.get_issue'],
    },
  });
  expect(agent.status).toBe(201);
  await createWorkflow(stack, admin, {
    slug: 'jira-read',
    name: 'Read the issue',
    nodes: [
      { id: 'read', type: 'agent', agent: 'issue-reader', prompt: 'Triage {{input.issueKey}}' },
    ],
    edges: [],
  });
  const trigger = await createTrigger(stack, admin, {
    name: 'jira reads',
    source: 'jira',
    workflowId: 'jira-read',
    apiBaseUrl: jira.url,
    rules: { events: ['jira:issue_created'], projects: ['TEST'] },
    credentials: { type: 'basic', ...JIRA },
  });

  // Act
  await send(stack, jiraDelivery(trigger.id, trigger.secret, jiraFixture('issue_created')));
  const started = (await deliveries(stack, admin, trigger.id)).find((d) => d.outcome === 'started');
  const run = await stack.waitForRun(admin, started.runId, 30_000);
  const calls = await toolCallsOf(run.id);

  // Assess
  expect(run.status).toBe('SUCCEEDED');
  expect(calls).toHaveLength(1);
  expect(calls[0].data).toMatchObject({ tool: 'jira.get_issue', arguments: { issue: 'TEST-2' } });
  expect(calls[0].data.result).toContain('TEST-2: Login button does nothing');
  expect(calls[0].data.result).toContain('status: To Do');
  expect(JSON.stringify([run, calls])).not.toContain(JIRA.apiToken);
  expect(jira.problems).toEqual([]);
});
