/**
 * Webhook replay (issue 11, item 6): a captured signed body sent again under a fresh delivery id
 * is refused (deduplicated by a hash of the signed body per trigger for the redelivery window);
 * a flood of rejected deliveries writes at most a bounded number of small, storable records.
 */
import { randomUUID } from 'node:crypto';
import { startTestStack, type TestStack } from '../../support/stack';
import {
  createTrigger,
  createWorkflow,
  deliveries,
  githubDelivery,
  githubExamples,
  reviewWorkflow,
  send,
  sign,
} from './support';
import { REJECTED_RECORDS_PER_MINUTE } from '../../../shared/automation/deliveries';

let stack: TestStack;
let admin: string;
let trigger: Awaited<ReturnType<typeof createTrigger>>;
const [opened] = githubExamples('pull_request').filter((e) => e.payload.action === 'opened');

beforeAll(async () => {
  stack = await startTestStack();
  admin = await stack.adminToken();
  await createWorkflow(stack, admin, reviewWorkflow('replay-review'));
  trigger = await createTrigger(stack, admin, {
    name: 'replay',
    source: 'github',
    workflowId: 'replay-review',
    rules: { events: ['pull_request'] },
  });
}, 60_000);
afterAll(async () => stack?.close());

async function runCount(): Promise<number> {
  return (await stack.call('GET', '/v1/runs?limit=200', { token: admin })).body.items.length;
}

test('the same signed body under a fresh X-GitHub-Delivery is refused as a replay', async () => {
  const payload = structuredClone(opened.payload);
  payload.pull_request.head.sha = 'a'.repeat(40);
  const first = githubDelivery(trigger.id, trigger.secret, 'pull_request', payload);
  const accepted = await send(stack, first);
  const before = await runCount();

  const replay = await send(stack, {
    ...first,
    headers: { ...first.headers, 'x-github-delivery': randomUUID() },
  });
  const redelivery = await send(stack, first);

  expect(accepted.status).toBe(202);
  expect(accepted.body.outcome).toBe('started');
  expect(replay.status).toBe(409);
  expect(replay.body.error.code).toBe('ReplayedDelivery');
  expect(redelivery.status).toBe(202);
  expect(redelivery.body.outcome).toBe('duplicate');
  expect(await runCount()).toBe(before);
});

test('a flood of rejected deliveries writes a bounded number of bounded records', async () => {
  const before = (await deliveries(stack, admin, trigger.id)).length;
  const raw = JSON.stringify({ action: 'opened' });
  const sent = 2 * REJECTED_RECORDS_PER_MINUTE + 10;
  for (let i = 0; i < sent; i++) {
    const res = await send(stack, {
      path: `/v1/webhooks/github/${trigger.id}`,
      raw,
      headers: {
        'x-github-event': `pull_request${'x'.repeat(1000)}`,
        'x-github-delivery': `${randomUUID()}${'d'.repeat(500)}`,
        'x-hub-signature-256': sign('wrong-secret', raw),
      },
    });
    expect(res.status).toBe(401);
  }
  const after = await deliveries(stack, admin, trigger.id);
  const rejected = after.filter((d) => d.outcome === 'rejected');

  // A fixed one-minute window: the loop may straddle two windows, never more.
  expect(after.length - before).toBeLessThanOrEqual(2 * REJECTED_RECORDS_PER_MINUTE);
  expect(after.length - before).toBeLessThan(sent);
  expect(after.length - before).toBeGreaterThan(0);
  for (const d of rejected) {
    expect(d.deliveryId.length).toBeLessThanOrEqual(200);
    expect((d.event ?? '').length).toBeLessThanOrEqual(200);
  }
});
