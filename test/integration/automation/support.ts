/** Shared setup of the automation tests: real example payloads, signing, workflows and triggers. */
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT, type TestStack } from '../../support/stack';

const require = createRequire(import.meta.url);
type Example = { name: string; examples: Record<string, any>[] };
const ALL = require('@octokit/webhooks-examples/api.github.com/index.json') as Example[];

/** The package's examples of one event, each with its own delivery id. */
export function githubExamples(event: string): { event: string; payload: Record<string, any> }[] {
  return (ALL.find((e) => e.name === event)?.examples ?? []).map((payload) => ({ event, payload }));
}

export function jiraFixture(name: string): Record<string, any> {
  return {
    ...JSON.parse(readFileSync(join(ROOT, 'test/fixtures/jira', `${name}.json`), 'utf8')),
    timestamp: Date.now(),
  };
}

export const sign = (secret: string, raw: string) =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

export interface Delivery {
  path: string;
  raw: string;
  headers: Record<string, string>;
}

export function githubDelivery(
  triggerId: string,
  secret: string,
  event: string,
  payload: unknown,
  deliveryId = randomUUID(),
): Delivery {
  const raw = JSON.stringify(payload);
  return {
    path: `/v1/webhooks/github/${triggerId}`,
    raw,
    headers: {
      'x-github-event': event,
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': sign(secret, raw),
      'user-agent': 'GitHub-Hookshot/test',
    },
  };
}

export function jiraDelivery(
  triggerId: string,
  secret: string,
  payload: unknown,
  deliveryId = randomUUID(),
): Delivery {
  const raw = JSON.stringify(payload);
  return {
    path: `/v1/webhooks/jira/${triggerId}`,
    raw,
    headers: { 'x-atlassian-webhook-identifier': deliveryId, 'x-hub-signature': sign(secret, raw) },
  };
}

export const send = (stack: TestStack, d: Delivery) =>
  stack.call('POST', d.path, { rawBody: d.raw, headers: d.headers });

export async function createWorkflow(
  stack: TestStack,
  token: string,
  body: Record<string, unknown>,
) {
  const res = await stack.call('POST', '/v1/workflows', { token, body });
  if (res.status !== 201) throw new Error(`workflow: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createTrigger(
  stack: TestStack,
  token: string,
  body: Record<string, unknown>,
) {
  const res = await stack.call('POST', '/v1/triggers', { token, body });
  if (res.status !== 201) throw new Error(`trigger: ${JSON.stringify(res.body)}`);
  return res.body as { id: string; secret: string; webhookUrl: string } & Record<string, any>;
}

export async function deliveries(
  stack: TestStack,
  token: string,
  triggerId: string,
): Promise<any[]> {
  const res = await stack.call('GET', `/v1/triggers/${triggerId}/deliveries?limit=200`, { token });
  if (res.status !== 200) throw new Error(`deliveries: ${JSON.stringify(res.body)}`);
  return res.body.items;
}

/** A PR review workflow: an agent reviews, then the verdict goes back as a comment and a status. */
export const reviewWorkflow = (slug: string) => ({
  slug,
  name: `Review ${slug}`,
  nodes: [
    {
      id: 'review',
      type: 'agent',
      agent: 'reviewer',
      prompt: 'Review "{{input.title}}" ({{input.diffUrl}}) at {{input.headSha}}',
    },
    {
      id: 'comment',
      type: 'tool',
      tool: 'github.comment',
      with: {
        repository: '{{input.repository}}',
        number: '{{input.number}}',
        body: 'Review: {{steps.review.output}}',
      },
    },
    {
      id: 'status',
      type: 'tool',
      tool: 'github.status',
      with: {
        repository: '{{input.repository}}',
        sha: '{{input.headSha}}',
        state: 'success',
        description: 'Reviewed by HishamOS',
      },
    },
  ],
  edges: [
    { from: 'review', to: 'comment' },
    { from: 'review', to: 'status' },
  ],
});
