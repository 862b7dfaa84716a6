/**
 * The contract story: a tenant's day through every route that declares a response schema. Each
 * answer is validated against its schema by the test stack (test/support/contract.ts); this file
 * then checks that the story reached every such route, so a new route without coverage fails here.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { allRoutes } from '../../../infra/manifest';
import { generate } from 'otplib';
import { checkedRoutes } from '../../support/contract';
import {
  OIDC_CLIENT_ID,
  OIDC_CLIENT_SECRET,
  OIDC_REDIRECT,
  startOidcProvider,
  type LocalOidcProvider,
} from '../../support/oidc';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;
let idp: LocalOidcProvider;

beforeAll(async () => {
  idp = await startOidcProvider({ lin: { email: 'lin@corp.example', email_verified: true } });
  stack = await startTestStack({ env: { SSO_ALLOW_HTTP_ISSUER: 'true' } });
  token = await stack.adminToken();
});
afterAll(async () => {
  await stack?.close();
  await idp?.close();
});

async function ok(method: string, path: string, body?: unknown, expected = [200, 201, 202]) {
  const res = await stack.call(method, path, { token, body });
  if (!expected.includes(res.status))
    throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function settledRun(runId: string) {
  return stack.waitForRun(token, runId);
}

test('every route with a response schema answers with a body that matches it', async () => {
  // Identity
  const signup = await stack.call('POST', '/v1/auth/signup', {
    body: {
      tenantName: `Contracts ${randomUUID().slice(0, 8)}`,
      email: `owner-${randomUUID().slice(0, 8)}@example.test`,
      password: 'correct horse battery staple',
    },
  });
  expect(signup.status).toBe(201);
  await stack.call('POST', '/v1/auth/refresh', {
    body: { refreshToken: signup.body.refreshToken },
  });
  await ok('GET', '/v1/me');
  const invited = await ok('POST', '/v1/members', {
    email: `dev-${randomUUID().slice(0, 8)}@example.test`,
    role: 'dev',
  });
  await stack.call('POST', '/v1/invitations/lookup', { body: { token: invited.token } });
  const joined = await stack.call('POST', '/v1/invitations/accept', {
    body: { token: invited.token, password: 'another correct horse battery' },
  });
  const member = (await stack.call('GET', '/v1/me', { token: joined.body.accessToken })).body.user;
  await ok('GET', '/v1/invitations');
  await ok('GET', '/v1/members');
  await ok('PATCH', `/v1/members/${member.id}`, { role: 'viewer' });
  await stack.call('POST', '/v1/auth/switch', { token, body: { tenant: 'demo' } });
  await ok('GET', '/v1/settings/pii');
  await ok('PUT', '/v1/settings/pii', { classes: { email: 'mask_provider' } });
  await ok('GET', '/v1/settings/security');
  await ok('PATCH', '/v1/settings/security', { mfaRequired: false });
  // MFA: the tenant requires it for a fresh member, who enrols while signing in
  const mfaUser = await stack.signup('Contracts MFA');
  await stack.call('PATCH', '/v1/settings/security', {
    token: mfaUser.accessToken,
    body: { mfaRequired: true },
  });
  const challenge = await stack.call('POST', '/v1/auth/login', {
    body: { email: mfaUser.email, password: mfaUser.password },
  });
  const enrolment = await stack.call('POST', '/v1/auth/mfa/enrol', {
    body: { mfaToken: challenge.body.mfaToken },
  });
  const withMfa = await stack.call('POST', '/v1/auth/mfa', {
    body: {
      mfaToken: challenge.body.mfaToken,
      code: await generate({ secret: enrolment.body.secret }),
    },
  });
  await stack.call('GET', '/v1/me/mfa', { token: withMfa.body.accessToken });
  const own = await stack.signup('Contracts MFA self');
  const self = await stack.call('POST', '/v1/me/mfa/enrol', { token: own.accessToken });
  await stack.call('POST', '/v1/me/mfa/confirm', {
    token: own.accessToken,
    body: { code: await generate({ secret: self.body.secret }) },
  });
  // SSO against a real local OpenID provider
  const sso = await stack.signup('Contracts SSO');
  await stack.call('PUT', '/v1/settings/sso', {
    token: sso.accessToken,
    body: { issuer: idp.issuer, clientId: OIDC_CLIENT_ID, clientSecret: OIDC_CLIENT_SECRET },
  });
  await stack.call('GET', '/v1/settings/sso', { token: sso.accessToken });
  const ssoTenant = (await stack.call('GET', '/v1/me', { token: sso.accessToken })).body.tenant
    .slug;
  const ssoStart = await stack.call('POST', '/v1/auth/sso/start', {
    body: { tenant: ssoTenant, redirectUri: OIDC_REDIRECT },
  });
  await stack.call('POST', '/v1/auth/sso/callback', {
    body: { callbackUrl: await idp.throughProvider(ssoStart.body.authorizationUrl, 'lin') },
  });
  await ok('POST', '/v1/api-keys', { name: 'ci', role: 'dev' });
  await ok('GET', '/v1/api-keys');

  // Catalog
  const agent = await ok('POST', '/v1/agents', {
    slug: `contract-agent-${randomUUID().slice(0, 6)}`,
    name: 'Contract agent',
    role: 'reviewer',
    systemPrompt: 'You review.',
    model: 'simulator:echo',
  });
  await ok('GET', '/v1/agents');
  await ok('GET', `/v1/agents/${agent.id}`);
  await ok('PATCH', `/v1/agents/${agent.id}`, { systemPrompt: 'You review carefully.' });
  await ok('GET', `/v1/agents/${agent.id}/versions`);
  await ok('POST', `/v1/agents/${agent.id}/publish`, { version: 2 });
  await settledRun((await ok('POST', `/v1/agents/${agent.id}/try`, { prompt: 'Hello' })).runId);
  const workflow = await ok('POST', '/v1/workflows', {
    slug: `contract-flow-${randomUUID().slice(0, 6)}`,
    name: 'Contract flow',
    nodes: [
      { id: 'draft', type: 'agent', agent: agent.slug, prompt: 'Draft {{input.topic}}' },
      { id: 'signoff', type: 'approval' },
      { id: 'ship', type: 'agent', agent: agent.slug, prompt: '{{steps.draft.output}}' },
    ],
    edges: [
      { from: 'draft', to: 'signoff' },
      { from: 'signoff', to: 'ship' },
    ],
  });
  await ok('GET', '/v1/workflows');
  await ok('GET', `/v1/workflows/${workflow.id}`);
  await ok('PATCH', `/v1/workflows/${workflow.id}`, {
    description: 'for the contract test',
    nodes: workflow.nodes,
    edges: workflow.edges,
  });
  await ok('GET', `/v1/workflows/${workflow.id}/versions`);
  await ok('POST', `/v1/workflows/${workflow.id}/publish`, { version: 2 });

  // Schedules
  const schedule = await ok('POST', '/v1/schedules', {
    workflowId: workflow.id,
    cron: '0 9 * * 1-5',
    timezone: 'Europe/Berlin',
    input: { topic: 'scheduled' },
    enabled: false,
  });
  await ok('GET', '/v1/schedules');
  await ok('GET', `/v1/schedules/${schedule.id}`);
  await ok('PATCH', `/v1/schedules/${schedule.id}`, { cron: '30 8 * * *' });
  await ok('DELETE', `/v1/schedules/${schedule.id}`, undefined, [204]);
  // Batches (ADR 160): this workflow waits for a sign-off, so the batch is still running to cancel
  const batch = await ok('POST', `/v1/workflows/${workflow.id}/batches`, {
    inputs: [{ topic: 'batch a' }, { topic: 'batch b' }],
    maxConcurrency: 2,
  });
  await ok('GET', '/v1/batches');
  await ok('GET', `/v1/batches/${batch.batchId}`);
  await ok('POST', `/v1/batches/${batch.batchId}/cancel`);
  // Files as code: export and import back (ADR 140)
  await ok('POST', '/v1/agents/import', await ok('GET', `/v1/agents/${agent.id}/export`));
  const bundle = await ok('GET', `/v1/workflows/${workflow.id}/export?include=agents`);
  await ok('POST', '/v1/workflows/import?dryRun=true', bundle);
  await ok('POST', '/v1/workflows/import', bundle);

  // Runs: one approved, one rejected, one cancelled, one re-run
  const started = await ok('POST', `/v1/workflows/${workflow.id}/runs`, { input: { topic: 'x' } });
  const waiting = await settledRun(started.runId);
  expect(waiting.status).toBe('WAITING');
  await ok('GET', '/v1/approvals?status=waiting');
  await ok('POST', `/v1/runs/${waiting.id}/steps/signoff/approve`, { comment: 'ship it' });
  await settledRun(waiting.id);
  const second = await ok('POST', `/v1/workflows/${workflow.id}/runs`, { input: { topic: 'y' } });
  await settledRun(second.runId);
  await ok('POST', `/v1/runs/${second.runId}/steps/signoff/reject`, { comment: 'not now' });
  const pipeline = await ok('POST', '/v1/workflows/feature-pipeline/runs', {
    input: { feature: 'dark mode' },
  });
  await ok('POST', `/v1/runs/${pipeline.runId}/cancel`);
  await settledRun(pipeline.runId);
  await ok('POST', `/v1/runs/${pipeline.runId}/rerun`, {});
  await ok('GET', '/v1/runs');
  await ok('GET', `/v1/runs/${waiting.id}`);
  await ok('GET', `/v1/runs/${waiting.id}/events?after=0`);
  await ok('GET', `/v1/runs/${waiting.id}/steps/signoff`);

  // Knowledge
  const kb = await ok('POST', '/v1/knowledge-bases', {
    name: 'Contract KB',
    embeddingModel: 'local',
  });
  await ok('GET', '/v1/knowledge-bases');
  await ok('GET', `/v1/knowledge-bases/${kb.id}`);
  const doc = await ok('POST', `/v1/knowledge-bases/${kb.id}/documents`, {
    title: 'Expenses',
    text: 'Meals are reimbursed up to forty euros a day.',
  });
  await ok('GET', `/v1/knowledge-bases/${kb.id}/documents`);
  await ok('GET', `/v1/knowledge-bases/${kb.id}/documents/${doc.id}`);
  const upload = await ok('POST', `/v1/knowledge-bases/${kb.id}/documents`, {
    filename: 'notes.txt',
    contentType: 'text/plain',
  });
  await fetch(upload.uploadUrl, { method: 'PUT', body: 'Travel is booked through the portal.' });
  await ok('POST', `/v1/knowledge-bases/${kb.id}/documents/${upload.id}/ingest`);
  await ok('POST', `/v1/knowledge-bases/${kb.id}/search`, { query: 'meals', topK: 3 });

  // Automation
  const trigger = await ok('POST', '/v1/triggers', {
    name: 'contract',
    source: 'github',
    workflowId: 'feature-pipeline',
    rules: { events: ['pull_request.opened'] },
  });
  await ok('GET', '/v1/triggers');
  await ok('GET', `/v1/triggers/${trigger.id}`);
  await ok('PATCH', `/v1/triggers/${trigger.id}`, { enabled: false });
  const raw = JSON.stringify({ zen: 'Keep it logically awesome.' });
  const sign = (secret: string) =>
    `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
  await stack.call('POST', `/v1/webhooks/github/${trigger.id}`, {
    rawBody: raw,
    headers: {
      'x-github-event': 'ping',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': sign(trigger.secret),
    },
  });
  const jira = await ok('POST', '/v1/triggers', {
    name: 'contract jira',
    source: 'jira',
    workflowId: 'feature-pipeline',
    rules: { events: ['jira:issue_created'] },
  });
  await stack.call('POST', `/v1/webhooks/jira/${jira.id}`, {
    rawBody: raw,
    headers: {
      'x-atlassian-webhook-identifier': randomUUID(),
      'x-hub-signature': sign(jira.secret),
    },
  });
  await ok('GET', `/v1/triggers/${trigger.id}/deliveries`);

  // Money and keys
  await ok('GET', '/v1/providers');
  await ok('PUT', '/v1/providers/openai/key', { apiKey: 'sk-contract-test-key-0000' });
  await ok('GET', '/v1/usage?groupBy=workflow');
  await ok('GET', '/v1/budgets');
  await ok('PUT', '/v1/budgets', { monthlyLimitUsd: 100 });
  await ok('GET', '/v1/prices');
  await ok('PUT', '/v1/prices/openai/gpt-contract', { inputPerMtok: 1, outputPerMtok: 2 });
  await ok('GET', '/v1/audit');
  await ok('GET', '/v1/audit/verify');
  await ok('GET', '/ready');
  await stack.call('POST', '/v1/auth/login', {
    body: { email: 'admin@localhost', password: 'demo-admin-password-for-tests', tenant: 'demo' },
  });

  // Assess: the story reached every route that declares a response schema.
  const declared = allRoutes()
    .filter((r) => r.response && r.status !== 204)
    .map((r) => r.routeKey);
  expect(declared.filter((key) => !checkedRoutes.has(key))).toEqual([]);
});
