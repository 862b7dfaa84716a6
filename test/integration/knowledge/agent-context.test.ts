/**
 * An agent with a knowledge base attached: its step retrieves the top chunks for the rendered
 * prompt, sends them with the prompt, and the run timeline carries the citations.
 */
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.adminToken();
});
afterAll(async () => stack?.close());

test('a step of an agent with a knowledge base cites the retrieved chunks; without one it does not', async () => {
  // Prepare
  const kbId = (
    await stack.call('POST', '/v1/knowledge-bases', { token, body: { name: 'runbooks' } })
  ).body.id;
  const doc = await stack.call('POST', `/v1/knowledge-bases/${kbId}/documents`, {
    token,
    body: {
      title: 'Quokka runbook',
      text: '# Quokka\n\nThe quokka daemon listens on port 4242. Restart it with `systemctl restart quokka`.',
    },
  });
  await stack.call('POST', `/v1/knowledge-bases/${kbId}/documents`, {
    token,
    body: { title: 'Unrelated', text: 'Lunch is served at noon in the cafeteria.' },
  });
  await stack.executions.idle();
  const agent = (slug: string, knowledgeBaseIds?: string[]) =>
    stack.call('POST', '/v1/agents', {
      token,
      body: {
        slug,
        name: slug,
        model: 'simulator:echo',
        systemPrompt: 'Answer from the sources.',
        ...(knowledgeBaseIds ? { knowledgeBaseIds } : {}),
      },
    });
  expect((await agent('grounded', [kbId])).status).toBe(201);
  expect((await agent('ungrounded')).status).toBe(201);
  const nodes = [
    {
      id: 'with',
      type: 'agent',
      agent: 'grounded',
      prompt: 'Which port does the quokka daemon listen on?',
    },
    {
      id: 'without',
      type: 'agent',
      agent: 'ungrounded',
      prompt: 'Which port does the quokka daemon listen on?',
    },
  ];
  expect(
    (
      await stack.call('POST', '/v1/workflows', {
        token,
        body: { slug: 'ask-quokka', name: 'Ask', nodes, edges: [] },
      })
    ).status,
  ).toBe(201);

  // Act
  const started = await stack.call('POST', '/v1/workflows/ask-quokka/runs', {
    token,
    body: { input: {} },
  });
  const run = await stack.waitForRun(token, started.body.runId);
  const events = (
    await stack.call('GET', `/v1/runs/${started.body.runId}/events?limit=200`, { token })
  ).body.items;

  // Assess
  expect(run.status).toBe('SUCCEEDED');
  const cited = events.filter((e: any) => e.type === 'step.citations');
  expect(cited).toHaveLength(1);
  expect(cited[0].nodeId).toBe('with');
  const [first] = cited[0].data.citations;
  expect(first).toMatchObject({
    n: 1,
    knowledgeBaseId: kbId,
    documentId: doc.body.id,
    title: 'Quokka runbook',
    heading: 'Quokka runbook › Quokka',
  });
  expect(first.end).toBeGreaterThan(first.start);
  expect(first.text.length).toBeGreaterThan(0);
  expect(first.text.toLowerCase()).toContain('quokka');
  // The sources reached the model: the grounded step's prompt was longer by the cited text.
  const withStep = run.steps.find((s: any) => s.nodeId === 'with');
  const withoutStep = run.steps.find((s: any) => s.nodeId === 'without');
  expect(withStep.inputTokens).toBeGreaterThan(withoutStep.inputTokens + 15);
});
