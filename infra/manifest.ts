/**
 * The one list of functions, routes and state machines. The CDK app (infra/aws) and the local
 * runtime (infra/local) are both built from it; nothing else declares a route or a task binding.
 */
import type { z } from 'zod';
import * as auth from '../shared/api/contracts/auth';
import * as agents from '../shared/api/contracts/agents';
import * as workflows from '../shared/api/contracts/workflows';
import * as runs from '../shared/api/contracts/runs';
import * as audit from '../shared/api/contracts/audit';
import * as providers from '../shared/api/contracts/providers';
import * as usage from '../shared/api/contracts/usage';
import * as triggers from '../shared/api/contracts/triggers';
import * as knowledge from '../shared/api/contracts/knowledge';
import { IdOrSlugParams, IdParams, PageQuery, listOf } from '../shared/api/contracts/common';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** Roles rank owner > admin > dev > viewer; `public` needs no credentials. */
export type Access = 'public' | 'viewer' | 'dev' | 'admin' | 'owner';

export interface RouteContract {
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly response?: z.ZodType;
  /** Success status; 200 unless stated. */
  readonly status?: number;
}

export interface RouteSpec extends RouteContract {
  readonly method: HttpMethod;
  /** API Gateway v2 path with `{param}` placeholders. */
  readonly path: string;
  readonly access: Access;
  readonly summary: string;
  /** Raw body kept as text (webhook signatures are computed over the exact bytes). */
  readonly rawBody?: boolean;
}

export type SecretName = 'jwtSigningKey' | 'tenantSecrets';
export type BucketName = 'documents' | 'artifacts';

export interface FunctionSpec {
  /** Entry file relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly kind: 'http' | 'task';
  readonly description: string;
  /** @default 512 */
  readonly memoryMb?: number;
  /** @default 29 for http, 120 for task */
  readonly timeoutSeconds?: number;
  readonly routes?: readonly RouteSpec[];
  /** Tasks only: run on a timer (EventBridge Scheduler in AWS, a setInterval locally). */
  readonly schedule?: { readonly everyMinutes: number; readonly description: string };
  readonly uses: {
    readonly database?: boolean;
    readonly table?: boolean;
    readonly buckets?: readonly BucketName[];
    readonly secrets?: readonly SecretName[];
    /** State machines this function starts (and stops, to cancel). */
    readonly executions?: readonly string[];
  };
}

export interface StateMachineSpec {
  /** ASL file in statemachines/. Task FunctionName placeholders are `${<functionName>Arn}`. */
  readonly asl: string;
  readonly description: string;
  /** Task state name → function name. Every Task state must appear here (guard-tested). */
  readonly tasks: Readonly<Record<string, string>>;
}

const r = (
  method: HttpMethod,
  path: string,
  access: Access,
  summary: string,
  contract: RouteContract = {},
): RouteSpec => ({
  method,
  path,
  access,
  summary,
  ...contract,
});

/** Every HTTP function uses the table: rate-limit windows live there. */
const http = (
  entry: string,
  description: string,
  routes: RouteSpec[],
  uses: FunctionSpec['uses'] = { database: true },
): FunctionSpec => ({
  entry,
  kind: 'http',
  description,
  routes,
  uses: { ...uses, table: true },
});

export const functions = {
  meta: http(
    'functions/meta/handler.ts',
    'Health and the OpenAPI document',
    [
      r('GET', '/health', 'public', 'Liveness and version'),
      r('GET', '/openapi.json', 'public', 'This API as OpenAPI 3.1'),
    ],
    {},
  ),
  auth: http(
    'functions/auth/handler.ts',
    'Sign-up, login, token refresh and the caller identity',
    [
      r('POST', '/v1/auth/signup', 'public', 'Create a tenant and its owner', {
        body: auth.SignupBody,
        response: auth.TokenPair,
        status: 201,
      }),
      r('POST', '/v1/auth/login', 'public', 'Exchange email and password for tokens', {
        body: auth.LoginBody,
        response: auth.TokenPair,
      }),
      r('POST', '/v1/auth/refresh', 'public', 'Rotate a refresh token', {
        body: auth.RefreshBody,
        response: auth.TokenPair,
      }),
      r('POST', '/v1/auth/logout', 'public', 'Revoke a refresh token family', {
        body: auth.LogoutBody,
        status: 204,
      }),
      r('GET', '/v1/me', 'viewer', 'Who am I', { response: auth.Me }),
    ],
    { database: true, secrets: ['jwtSigningKey'] },
  ),
  members: http('functions/members/handler.ts', 'Tenant members and their roles', [
    r('GET', '/v1/members', 'viewer', 'List members', {
      query: PageQuery,
      response: listOf(auth.Member),
    }),
    r('POST', '/v1/members', 'admin', 'Add a member', {
      body: auth.MemberCreateBody,
      response: auth.Member,
      status: 201,
    }),
    r('PATCH', '/v1/members/{id}', 'admin', 'Change a member role', {
      params: IdParams,
      body: auth.MemberPatchBody,
      response: auth.Member,
    }),
    r('DELETE', '/v1/members/{id}', 'admin', 'Remove a member', { params: IdParams, status: 204 }),
  ]),
  apiKeys: http('functions/api-keys/handler.ts', 'API keys for machines', [
    r('GET', '/v1/api-keys', 'admin', 'List API keys', {
      query: PageQuery,
      response: listOf(auth.ApiKey),
    }),
    r('POST', '/v1/api-keys', 'admin', 'Create an API key (secret shown once)', {
      body: auth.ApiKeyCreateBody,
      response: auth.ApiKeyCreated,
      status: 201,
    }),
    r('DELETE', '/v1/api-keys/{id}', 'admin', 'Revoke an API key', {
      params: IdParams,
      status: 204,
    }),
  ]),
  agents: http('functions/agents/handler.ts', 'Agents and their immutable versions', [
    r('GET', '/v1/agents', 'viewer', 'List agents', {
      query: PageQuery,
      response: listOf(agents.Agent),
    }),
    r('POST', '/v1/agents', 'dev', 'Create an agent', {
      body: agents.AgentCreateBody,
      response: agents.Agent,
      status: 201,
    }),
    r('GET', '/v1/agents/{id}', 'viewer', 'Get an agent by id or slug', {
      params: IdOrSlugParams,
      response: agents.Agent,
    }),
    r('PATCH', '/v1/agents/{id}', 'dev', 'Change an agent (new version)', {
      params: IdOrSlugParams,
      body: agents.AgentPatchBody,
      response: agents.Agent,
    }),
    r('DELETE', '/v1/agents/{id}', 'dev', 'Delete an agent', {
      params: IdOrSlugParams,
      status: 204,
    }),
    r('GET', '/v1/agents/{id}/versions', 'viewer', 'List agent versions', {
      params: IdOrSlugParams,
      response: listOf(agents.AgentVersion),
    }),
  ]),
  workflows: http(
    'functions/workflows/handler.ts',
    'Workflows (DAGs of steps) and starting runs',
    [
      r('GET', '/v1/workflows', 'viewer', 'List workflows', {
        query: PageQuery,
        response: listOf(workflows.Workflow),
      }),
      r('POST', '/v1/workflows', 'dev', 'Create a workflow', {
        body: workflows.WorkflowCreateBody,
        response: workflows.Workflow,
        status: 201,
      }),
      r('GET', '/v1/workflows/{id}', 'viewer', 'Get a workflow by id or slug', {
        params: IdOrSlugParams,
        response: workflows.Workflow,
      }),
      r('PATCH', '/v1/workflows/{id}', 'dev', 'Change a workflow (new version)', {
        params: IdOrSlugParams,
        body: workflows.WorkflowPatchBody,
        response: workflows.Workflow,
      }),
      r('DELETE', '/v1/workflows/{id}', 'dev', 'Delete a workflow', {
        params: IdOrSlugParams,
        status: 204,
      }),
      r('GET', '/v1/workflows/{id}/versions', 'viewer', 'List workflow versions', {
        params: IdOrSlugParams,
        response: listOf(workflows.WorkflowVersion),
      }),
      r('POST', '/v1/workflows/{id}/runs', 'dev', 'Start a run', {
        params: IdOrSlugParams,
        body: workflows.RunStartBody,
        response: workflows.RunStarted,
        status: 202,
      }),
    ],
    { database: true, table: true, executions: ['runWorkflow'] },
  ),
  runs: http(
    'functions/runs/handler.ts',
    'Runs: status, steps, timeline, cancel, re-run, approvals',
    [
      r('GET', '/v1/runs', 'viewer', 'List runs', {
        query: runs.RunListQuery,
        response: listOf(runs.Run.omit({ steps: true })),
      }),
      r('GET', '/v1/runs/{id}', 'viewer', 'A run with its steps and attempts', {
        params: IdParams,
        response: runs.Run,
      }),
      r('GET', '/v1/runs/{id}/events', 'viewer', 'The run timeline', {
        params: IdParams,
        query: runs.RunEventsQuery,
        response: runs.RunEvents,
      }),
      r('POST', '/v1/runs/{id}/cancel', 'dev', 'Cancel a run', {
        params: IdParams,
        response: runs.Run.omit({ steps: true }),
      }),
      r('POST', '/v1/runs/{id}/rerun', 'dev', 'Re-run, reusing finished steps before fromStep', {
        params: IdParams,
        body: runs.RerunBody,
        response: workflows.RunStarted,
        status: 202,
      }),
      r('POST', '/v1/runs/{id}/steps/{stepId}/approve', 'dev', 'Approve a waiting approval step', {
        params: runs.RunStepParams,
        body: runs.ApprovalBody,
        response: workflows.RunStarted,
        status: 202,
      }),
      r('POST', '/v1/runs/{id}/steps/{stepId}/reject', 'dev', 'Reject a waiting approval step', {
        params: runs.RunStepParams,
        body: runs.ApprovalBody,
        response: workflows.RunStarted,
        status: 202,
      }),
    ],
    { database: true, executions: ['runWorkflow'] },
  ),
  audit: http('functions/audit/handler.ts', 'The append-only, hash-chained audit log', [
    r('GET', '/v1/audit', 'admin', 'Read the audit log', {
      query: audit.AuditQuery,
      response: listOf(audit.AuditEntry),
    }),
  ]),

  triggers: http(
    'functions/triggers/handler.ts',
    'Triggers: webhook rules that start workflows, and their deliveries',
    [
      r('GET', '/v1/triggers', 'viewer', 'List triggers', {
        query: PageQuery,
        response: listOf(triggers.Trigger),
      }),
      r('POST', '/v1/triggers', 'admin', 'Create a trigger (the webhook secret is shown once)', {
        body: triggers.TriggerCreateBody,
        response: triggers.TriggerCreated,
        status: 201,
      }),
      r('GET', '/v1/triggers/{id}', 'viewer', 'Get a trigger', {
        params: IdParams,
        response: triggers.Trigger,
      }),
      r('PATCH', '/v1/triggers/{id}', 'admin', 'Change a trigger (credentials are write-only)', {
        params: IdParams,
        body: triggers.TriggerPatchBody,
        response: triggers.Trigger,
      }),
      r('DELETE', '/v1/triggers/{id}', 'admin', 'Delete a trigger and its secrets', {
        params: IdParams,
        status: 204,
      }),
      r(
        'GET',
        '/v1/triggers/{id}/deliveries',
        'viewer',
        'Deliveries a trigger received and what became of them',
        { params: IdParams, query: triggers.DeliveriesQuery, response: listOf(triggers.Delivery) },
      ),
    ],
    { database: true, secrets: ['tenantSecrets'] },
  ),
  webhooks: http(
    'functions/webhooks/handler.ts',
    'GitHub and Jira webhook deliveries: verify, deduplicate, match, start the run',
    [
      {
        ...r(
          'POST',
          '/v1/webhooks/github/{triggerId}',
          'public',
          'Receive a GitHub delivery (X-Hub-Signature-256)',
          { params: triggers.WebhookParams, response: triggers.WebhookAck, status: 202 },
        ),
        rawBody: true,
      },
      {
        ...r(
          'POST',
          '/v1/webhooks/jira/{triggerId}',
          'public',
          'Receive a Jira delivery (X-Hub-Signature)',
          { params: triggers.WebhookParams, response: triggers.WebhookAck, status: 202 },
        ),
        rawBody: true,
      },
    ],
    { database: true, table: true, secrets: ['tenantSecrets'], executions: ['runWorkflow'] },
  ),

  providers: http(
    'functions/providers/handler.ts',
    'LLM provider keys per tenant (write-only; only the last 4 characters are shown)',
    [
      r('GET', '/v1/providers', 'viewer', 'Providers: whose key, last 4, base URL, breaker state', {
        response: listOf(providers.ProviderStatus),
      }),
      r(
        'PUT',
        '/v1/providers/{provider}/key',
        'admin',
        'Store the tenant key for a provider (never read back)',
        {
          params: providers.ProviderParams,
          body: providers.ProviderKeyBody,
          response: providers.ProviderStatus,
        },
      ),
      r('DELETE', '/v1/providers/{provider}/key', 'admin', 'Remove the tenant key for a provider', {
        params: providers.ProviderParams,
        status: 204,
      }),
    ],
    { database: true, table: true, secrets: ['tenantSecrets'] },
  ),
  usage: http('functions/usage/handler.ts', 'LLM usage, cost, budgets and prices', [
    r(
      'GET',
      '/v1/usage',
      'viewer',
      'Cost and tokens grouped by workflow, run, step, provider, model, day',
      { query: usage.UsageQuery, response: usage.UsageReport },
    ),
    r('GET', '/v1/budgets', 'viewer', 'Monthly budgets with spent and in-flight amounts', {
      response: usage.Budgets,
    }),
    r('PUT', '/v1/budgets', 'admin', 'Set the monthly budget of the tenant and of workflows', {
      body: usage.BudgetsBody,
      response: usage.Budgets,
    }),
    r(
      'GET',
      '/v1/prices',
      'viewer',
      'Model prices in effect for this tenant (platform list prices and tenant prices)',
      { response: listOf(providers.Price) },
    ),
    r(
      'PUT',
      '/v1/prices/{provider}/{model}',
      'admin',
      "A new version of this tenant's price for a model",
      { params: providers.PriceParams, body: providers.PriceBody, response: providers.Price },
    ),
  ]),

  knowledge: http(
    'functions/knowledge/handler.ts',
    'Knowledge bases: documents (API text or presigned upload), ingestion, hybrid search',
    [
      r('GET', '/v1/knowledge-bases', 'viewer', 'List knowledge bases', {
        query: PageQuery,
        response: listOf(knowledge.KnowledgeBase),
      }),
      r(
        'POST',
        '/v1/knowledge-bases',
        'dev',
        'Create a knowledge base (embedding model and chunking are fixed for its life)',
        { body: knowledge.KnowledgeBaseCreateBody, response: knowledge.KnowledgeBase, status: 201 },
      ),
      r('GET', '/v1/knowledge-bases/{id}', 'viewer', 'Get a knowledge base', {
        params: IdParams,
        response: knowledge.KnowledgeBase,
      }),
      r(
        'DELETE',
        '/v1/knowledge-bases/{id}',
        'dev',
        'Delete a knowledge base with its documents and chunks',
        { params: IdParams, status: 204 },
      ),
      r(
        'GET',
        '/v1/knowledge-bases/{id}/documents',
        'viewer',
        'List documents with status and chunk count',
        { params: IdParams, query: PageQuery, response: listOf(knowledge.Document) },
      ),
      r(
        'POST',
        '/v1/knowledge-bases/{id}/documents',
        'dev',
        'Add a document: {title, text} ingests at once; {filename, contentType} returns a presigned uploadUrl',
        {
          params: IdParams,
          body: knowledge.DocumentCreateBody,
          response: knowledge.DocumentCreated,
          status: 202,
        },
      ),
      r('GET', '/v1/knowledge-bases/{id}/documents/{docId}', 'viewer', 'Get a document', {
        params: knowledge.KbDocParams,
        response: knowledge.Document,
      }),
      r(
        'DELETE',
        '/v1/knowledge-bases/{id}/documents/{docId}',
        'dev',
        'Delete a document and its chunks',
        { params: knowledge.KbDocParams, status: 204 },
      ),
      r(
        'POST',
        '/v1/knowledge-bases/{id}/documents/{docId}/ingest',
        'dev',
        'Ingest (or re-ingest) a document, e.g. after its upload',
        { params: knowledge.KbDocParams, response: knowledge.Document, status: 202 },
      ),
      r(
        'POST',
        '/v1/knowledge-bases/{id}/search',
        'viewer',
        'Hybrid search (vector + full text, reciprocal rank fusion) with citations',
        { params: IdParams, body: knowledge.SearchBody, response: knowledge.SearchResult },
      ),
    ],
    {
      database: true,
      buckets: ['documents'],
      secrets: ['tenantSecrets'],
      executions: ['ingestDocument'],
    },
  ),

  // --- Step Functions tasks of ingest-document ------------------------------------------
  extractDocument: {
    entry: 'functions/ingest/extract.ts',
    kind: 'task',
    description: 'Ingestion: extract text from the upload or API text',
    memoryMb: 1024,
    timeoutSeconds: 300,
    uses: { database: true, buckets: ['documents'] },
  },
  chunkDocument: {
    entry: 'functions/ingest/chunk.ts',
    kind: 'task',
    description: 'Ingestion: structure-aware chunks with overlap, reusing identical embeddings',
    timeoutSeconds: 300,
    uses: { database: true },
  },
  embedChunks: {
    entry: 'functions/ingest/embed-batch.ts',
    kind: 'task',
    description: 'Ingestion: embed one batch of chunks',
    timeoutSeconds: 120,
    uses: { database: true, secrets: ['tenantSecrets'] },
  },
  indexDocument: {
    entry: 'functions/ingest/index.ts',
    kind: 'task',
    description: 'Ingestion: make the new generation searchable',
    uses: { database: true },
  },
  failIngestion: {
    entry: 'functions/ingest/fail.ts',
    kind: 'task',
    description: 'Ingestion: record why a document failed',
    uses: { database: true },
  },

  // --- Step Functions tasks of run-workflow -------------------------------------------
  planRun: {
    entry: 'functions/steps/plan-run.ts',
    kind: 'task',
    description: 'Plan: which steps are ready',
    uses: { database: true },
  },
  runAgentStep: {
    entry: 'functions/steps/run-agent-step.ts',
    kind: 'task',
    description: 'Run one agent step through the LLM gateway',
    timeoutSeconds: 300,
    uses: { database: true, table: true, secrets: ['tenantSecrets'] },
  },
  runToolStep: {
    entry: 'functions/steps/run-tool-step.ts',
    kind: 'task',
    description: 'Run one tool step',
    timeoutSeconds: 120,
    uses: { database: true, secrets: ['tenantSecrets'] },
  },
  recordStepFailure: {
    entry: 'functions/steps/record-step-failure.ts',
    kind: 'task',
    description: 'Record a step failure caught by the ASL',
    uses: { database: true },
  },
  finalizeRun: {
    entry: 'functions/steps/finalize-run.ts',
    kind: 'task',
    description: 'Settle the run status, output and cost',
    uses: { database: true },
  },

  // --- scheduled tasks -------------------------------------------------------------------
  reconcileWebhooks: {
    entry: 'functions/reconcile/handler.ts',
    kind: 'task',
    description: "Redeliver failed GitHub App webhook deliveries inside GitHub's 3-day window",
    timeoutSeconds: 300,
    schedule: { everyMinutes: 15, description: 'Redeliver failed GitHub App deliveries' },
    uses: { database: true, secrets: ['tenantSecrets'] },
  },

  // --- deployment -----------------------------------------------------------------------
  migrate: {
    entry: 'functions/deploy/migrate.ts',
    kind: 'task',
    description:
      'Create the vector extension and apply committed SQL migrations (runs on every deploy)',
    timeoutSeconds: 600,
    uses: { database: true },
  },
} satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

export const stateMachines = {
  runWorkflow: {
    asl: 'run-workflow.asl.json',
    description: 'Interprets a workflow version: Plan → Map over ready steps → Plan … → Finalize',
    tasks: {
      Plan: 'planRun',
      RunAgentStep: 'runAgentStep',
      RunToolStep: 'runToolStep',
      RecordStepFailure: 'recordStepFailure',
      Finalize: 'finalizeRun',
    },
  },
  ingestDocument: {
    asl: 'ingest-document.asl.json',
    description: 'Ingests one document: Extract → Chunk → Map over embedding batches → Index',
    tasks: {
      Extract: 'extractDocument',
      Chunk: 'chunkDocument',
      EmbedBatch: 'embedChunks',
      Index: 'indexDocument',
      RecordFailure: 'failIngestion',
    },
  },
} satisfies Record<string, StateMachineSpec>;

export type StateMachineName = keyof typeof stateMachines;

export interface BoundRoute extends RouteSpec {
  readonly functionName: FunctionName;
  /** API Gateway v2 route key, e.g. `GET /v1/agents/{id}`. */
  readonly routeKey: string;
}

/** Every route with the function that serves it. */
export function allRoutes(): BoundRoute[] {
  return (Object.entries(functions) as [FunctionName, FunctionSpec][]).flatMap(
    ([functionName, fn]) =>
      (fn.routes ?? []).map((route) => ({
        ...route,
        functionName,
        routeKey: `${route.method} ${route.path}`,
      })),
  );
}

/** The `${...Arn}` placeholder a task's FunctionName uses in ASL. */
export function functionArnPlaceholder(name: FunctionName): string {
  return `${name}Arn`;
}
