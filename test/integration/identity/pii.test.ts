/**
 * The tenant PII policy on a real run (issue 15): values of `mask_provider` classes reach the
 * provider fake as placeholders and come back restored in the step output; the stored prompt
 * (the trace) masks them; the step counts them; no clear value shows up in traces or logs.
 */
import { createOpenAIFake, type FakeProviderServer } from '../../fakes/providers';
import { startTestStack, type TestStack } from '../../support/stack';

const EMAIL = 'ada.lovelace@example.com';
const CARD = '4111 1111 1111 1111';
const IBAN = 'DE89 3704 0044 0532 0130 00';

let stack: TestStack;
let fake: FakeProviderServer;
let token: string;
const logs: string[] = [];

beforeAll(async () => {
  fake = await createOpenAIFake({ apiKey: 'tk-openai-pii-test-key-123' });
  stack = await startTestStack({ env: { LOG_LEVEL: 'debug' }, logSink: (l) => logs.push(l) });
  token = (await stack.signup('Pii')).accessToken;
  const key = await stack.call('PUT', '/v1/providers/openai/key', {
    token,
    body: { apiKey: 'tk-openai-pii-test-key-123', baseUrl: fake.baseUrl },
  });
  expect(key.status).toBe(200);
  const agent = await stack.call('POST', '/v1/agents', {
    token,
    body: { slug: 'support', name: 'support', model: 'openai:gpt-4.1-mini', systemPrompt: 'Help.' },
  });
  expect(agent.status).toBe(201);
  const wf = await stack.call('POST', '/v1/workflows', {
    token,
    body: {
      slug: 'reply',
      name: 'reply',
      nodes: [{ id: 'answer', type: 'agent', agent: 'support', prompt: '{{input.ticket}}' }],
      edges: [],
    },
  });
  expect(wf.status).toBe(201);
});
afterAll(async () => {
  await stack?.close();
  await fake?.close();
});

async function run(ticket: string) {
  const started = await stack.call('POST', '/v1/workflows/reply/runs', {
    token,
    body: { input: { ticket } },
  });
  expect(started.status).toBe(202);
  await stack.waitForRun(token, started.body.runId, 30_000);
  const full = await stack.call('GET', `/v1/runs/${started.body.runId}`, { token });
  const events = await stack.call('GET', `/v1/runs/${started.body.runId}/events`, { token });
  return { run: full.body, step: full.body.steps[0], events: events.body };
}

test('masked before the provider, restored in the output, counted on the step, never in traces', async () => {
  // Prepare
  const policy = await stack.call('PUT', '/v1/settings/pii', {
    token,
    body: {
      classes: { email: 'mask_provider', card: 'mask_provider', iban: 'mask_logs' },
      patterns: [{ name: 'ticket', pattern: 'TCK-\\d{5}', action: 'mask_provider' }],
    },
  });
  fake.reset();
  fake.enqueue({
    kind: 'success',
    reply: { text: 'Dear [EMAIL_1], card [CARD_1] on ticket [TICKET_1] is blocked.' },
  });

  // Act
  const {
    run: r,
    step,
    events,
  } = await run(
    `Customer ${EMAIL} (ticket TCK-00042) says card ${CARD} fails; refund to ${IBAN}. Reply to ${EMAIL}.`,
  );

  // Assess: what the provider saw
  expect(policy.status).toBe(200);
  expect(r.status).toBe('SUCCEEDED');
  expect(fake.requests).toHaveLength(1);
  const sent = JSON.stringify(fake.requests[0].body);
  expect(sent).toContain('Customer [EMAIL_1] (ticket [TICKET_1]) says card [CARD_1] fails');
  expect(sent).toContain('Reply to [EMAIL_1].');
  expect(sent).not.toContain(EMAIL);
  expect(sent).not.toContain(CARD);
  expect(sent).toContain(IBAN); // mask_logs: the provider may see it, traces may not
  // the output, restored
  expect(step.output).toBe(`Dear ${EMAIL}, card ${CARD} on ticket TCK-00042 is blocked.`);
  // the trace
  expect(step.prompt).toBe(
    'Customer [EMAIL] (ticket [TICKET]) says card [CARD] fails; refund to [IBAN]. Reply to [EMAIL].',
  );
  expect(step.pii).toEqual({
    masked: { email: 2, card: 1, iban: 1, 'pattern:ticket': 1 },
    toProvider: { email: 2, card: 1, 'pattern:ticket': 1 },
  });
  const traces = JSON.stringify(events) + logs.join('\n');
  for (const value of [EMAIL, CARD, IBAN, 'TCK-00042']) expect(traces).not.toContain(value);
});

test('allowed classes go to the provider as written', async () => {
  await stack.call('PUT', '/v1/settings/pii', {
    token,
    body: { classes: { email: 'allow', card: 'allow', iban: 'allow', secret: 'allow' } },
  });
  fake.reset();

  const { step } = await run(`Write to ${EMAIL}.`);

  expect(JSON.stringify(fake.requests[0].body)).toContain(EMAIL);
  expect(step.prompt).toBe(`Write to ${EMAIL}.`);
  expect(step.pii).toEqual({ masked: {}, toProvider: {} });
});

test('a tenant pattern that could backtrack super-linearly is refused, naming the field', async () => {
  const res = await stack.call('PUT', '/v1/settings/pii', {
    token,
    body: { classes: {}, patterns: [{ name: 'bad', pattern: '(a+)+b', action: 'mask_logs' }] },
  });
  const broken = await stack.call('PUT', '/v1/settings/pii', {
    token,
    body: { classes: {}, patterns: [{ name: 'bad', pattern: '([a-z', action: 'mask_logs' }] },
  });
  const audit = await stack.call('GET', '/v1/audit?action=settings.pii', { token });

  expect(res.status).toBe(400);
  expect(res.body.error.details[0].path).toBe('patterns[0].pattern');
  expect(broken.status).toBe(400);
  expect(audit.body.items.length).toBeGreaterThanOrEqual(2);
});
