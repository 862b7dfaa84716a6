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

test('a base that reranks by default reranks the step’s sources too, and the trace says so', async () => {
  // Prepare: the offline reranker (local:align) and the offline semantic embedder, no key at all
  const kbId = (
    await stack.call('POST', '/v1/knowledge-bases', {
      token,
      body: { name: 'policies', embeddingModel: 'local-semantic', rerank: 'local:align' },
    })
  ).body.id;
  for (const [title, text] of [
    ['Expense policy', 'Meals are reimbursed up to forty euros a day. Keep the receipts.'],
    ['Vacation policy', 'Every employee has twenty-five days of paid leave per year.'],
    ['Deploy runbook', 'Deploys go out from the main branch after the pipeline is green.'],
  ])
    await stack.call('POST', `/v1/knowledge-bases/${kbId}/documents`, {
      token,
      body: { title, text },
    });
  await stack.executions.idle();
  await stack.call('POST', '/v1/agents', {
    token,
    body: {
      slug: 'policy-bot',
      name: 'policy-bot',
      model: 'simulator:echo',
      systemPrompt: 'Answer from the sources.',
      knowledgeBaseIds: [kbId],
    },
  });
  await stack.call('POST', '/v1/workflows', {
    token,
    body: {
      slug: 'ask-policy',
      name: 'Ask policy',
      nodes: [
        {
          id: 'ask',
          type: 'agent',
          agent: 'policy-bot',
          prompt: 'How much can I spend on dinner while travelling?',
        },
      ],
      edges: [],
    },
  });

  // Act
  const started = await stack.call('POST', '/v1/workflows/ask-policy/runs', {
    token,
    body: { input: {} },
  });
  const run = await stack.waitForRun(token, started.body.runId);
  const events = (
    await stack.call('GET', `/v1/runs/${started.body.runId}/events?limit=200`, { token })
  ).body.items;

  // Assess
  expect(run.status).toBe('SUCCEEDED');
  const cited = events.find((e: any) => e.type === 'step.citations');
  expect(cited.data.rerank).toEqual([
    expect.objectContaining({
      knowledgeBaseId: kbId,
      ref: 'local:align',
      provider: 'local',
      simulated: false,
      candidates: 3,
    }),
  ]);
  expect(cited.data.citations[0]).toMatchObject({
    title: 'Expense policy',
    rerankScore: expect.any(Number),
    fusedRank: expect.any(Number),
  });
});
