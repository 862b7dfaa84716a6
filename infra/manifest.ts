/**
 * The one list of functions, routes and state machines. The CDK app (infra/aws) and the local
 * runtime (infra/local) are both built from it; nothing else declares a route or a task binding.
 */
import type { RouteSpec } from '../shared/api/route';
import { routes } from '../shared/api/routes';

export type { Access } from '../shared/auth/roles';
export type { HttpMethod, RouteContract, RouteSpec } from '../shared/api/route';

export type SecretName = 'jwtSigningKey' | 'tenantSecrets' | 'auditAnchorKey';
/** `read`: GetSecretValue only; `write`: also create, change and delete (tenantSecrets only). */
export type SecretAccess = 'read' | 'write';
export interface SecretUse {
  readonly name: SecretName;
  readonly access: SecretAccess;
}
export type BucketName = 'documents' | 'artifacts' | 'auditAnchors';
/** `read`: get and list only; `write`: also put and delete (audit anchors: put with retention). */
export interface BucketUse {
  readonly name: BucketName;
  readonly access: 'read' | 'write';
}

export interface FunctionSpec {
  /** Entry file relative to the repository root; it exports `handler`. */
  readonly entry: string;
  /** `stream`: a streamed route's function (a function URL in AWS, not the HTTP API). */
  readonly kind: 'http' | 'stream' | 'task';
  readonly description: string;
  /** @default 512 */
  readonly memoryMb?: number;
  /** @default 29 for http, 120 for task */
  readonly timeoutSeconds?: number;
  readonly routes?: readonly RouteSpec[];
  /**
   * Reserved concurrency: at most this many run at once, and the account keeps the rest for the
   * others (the API above all), so parallel agent steps cannot starve it.
   */
  readonly reservedConcurrency?: number;
  /** Tasks only: run on a timer (EventBridge Scheduler in AWS, a setInterval locally). */
  readonly schedule?: { readonly everyMinutes: number; readonly description: string };
  readonly uses: {
    /**
     * `true`: the application's own database user (row-level security applies). `'owner'`: the
     * cluster's owner secret, for the migrate function alone.
     */
    readonly database?: boolean | 'owner';
    readonly table?: boolean;
    readonly buckets?: readonly BucketUse[];
    /** Secrets beyond the JWT key, which every function with a non-public route gets (`secretsOf`). */
    readonly secrets?: readonly SecretUse[];
    /** State machines this function starts (and stops, to cancel). */
    readonly executions?: readonly string[];
    /**
     * User schedules (ADR 121): `manage` creates, moves and deletes the EventBridge Scheduler
     * schedules of the stack's group and may pass only the scheduler's invoke role.
     */
    readonly scheduler?: 'manage';
  };
}

export interface StateMachineSpec {
  /** ASL file in statemachines/. Task FunctionName placeholders are `${<functionName>Arn}`. */
  readonly asl: string;
  readonly description: string;
  /** Task state name → function name. Every Task state must appear here (guard-tested). */
  readonly tasks: Readonly<Record<string, string>>;
  /**
   * Functions an earlier definition's Task states invoke and this one does not: deployed and
   * invokable by the machine while executions started under that definition may still run (an
   * approval can keep one waiting for days).
   */
  readonly retiredTasks?: readonly string[];
  /**
   * Function that receives the "Step Functions Execution Status Change" event when an execution
   * FAILED, TIMED_OUT or was ABORTED (an EventBridge rule in AWS; the local runtime on rejection).
   */
  readonly onExecutionFailed?: string;
  /**
   * A Distributed Map (ADR 160): the bucket its ItemReader reads (GetObject, granted to the
   * machine's role) and, implied, starting and stopping its own child executions.
   */
  readonly distributedMap?: { readonly itemsBucket: BucketName };
}

/** Every HTTP function uses the table: rate-limit windows live there. */
const http = (
  entry: string,
  description: string,
  routes: readonly RouteSpec[],
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
    'Health, readiness (database) and the OpenAPI document',
    routes.meta,
    { database: true },
  ),
  auth: http(
    'functions/auth/handler.ts',
    'Sign-up, login, token refresh and the caller identity',
    routes.auth,
    {
      database: true,
      secrets: [
        { name: 'jwtSigningKey', access: 'read' },
        { name: 'tenantSecrets', access: 'read' },
      ],
    },
  ),
  members: http(
    'functions/members/handler.ts',
    'Members, invitations and the tenant sign-in, SSO and PII settings',
    routes.members,
    { database: true, secrets: [{ name: 'tenantSecrets', access: 'write' }] },
  ),
  apiKeys: http('functions/api-keys/handler.ts', 'API keys for machines', routes.apiKeys),
  agents: http('functions/agents/handler.ts', 'Agents and their immutable versions', routes.agents),
  workflows: http(
    'functions/workflows/handler.ts',
    'Workflows (DAGs of steps) and starting runs',
    routes.workflows,
    { database: true, table: true, executions: ['runWorkflow'] },
  ),
  runs: http(
    'functions/runs/handler.ts',
    'Runs: status, steps, timeline, cancel, re-run, approvals',
    routes.runs,
    // Reads step prompts and outputs kept in the artifacts bucket (ADR 105).
    {
      database: true,
      executions: ['runWorkflow'],
      buckets: [{ name: 'artifacts', access: 'read' }],
    },
  ),
  runStream: {
    entry: 'functions/runs/stream.ts',
    kind: 'stream',
    description: "A run's events as Server-Sent Events (Lambda function URL, response streaming)",
    // A stream lives until the run ends or this timeout; the client resumes with Last-Event-ID.
    timeoutSeconds: 900,
    memoryMb: 256,
    routes: routes.streams,
    uses: { database: true, table: true },
  },
  mcp: http(
    'functions/mcp/handler.ts',
    'Model Context Protocol: workflows as tools for MCP clients',
    routes.mcp,
    { database: true, table: true, executions: ['runWorkflow'] },
  ),
  audit: http(
    'functions/audit/handler.ts',
    'The append-only, hash-chained audit log and its verification against signed anchors',
    routes.audit,
    {
      database: true,
      buckets: [{ name: 'auditAnchors', access: 'write' }],
      secrets: [{ name: 'auditAnchorKey', access: 'read' }],
    },
  ),

  triggers: http(
    'functions/triggers/handler.ts',
    'Triggers: webhook rules that start workflows, and their deliveries',
    routes.triggers,
    { database: true, secrets: [{ name: 'tenantSecrets', access: 'write' }] },
  ),
  webhooks: http(
    'functions/webhooks/handler.ts',
    'GitHub and Jira webhook deliveries: verify, deduplicate, match, start the run',
    routes.webhooks,
    {
      database: true,
      table: true,
      secrets: [{ name: 'tenantSecrets', access: 'read' }],
      executions: ['runWorkflow'],
    },
  ),

  providers: http(
    'functions/providers/handler.ts',
    'LLM provider keys per tenant (write-only; only the last 4 characters are shown)',
    routes.providers,
    { database: true, table: true, secrets: [{ name: 'tenantSecrets', access: 'write' }] },
  ),
  usage: http('functions/usage/handler.ts', 'LLM usage, cost, budgets and prices', routes.usage),

  knowledge: http(
    'functions/knowledge/handler.ts',
    'Knowledge bases: documents (API text or presigned upload), ingestion, hybrid search',
    routes.knowledge,
    {
      database: true,
      buckets: [{ name: 'documents', access: 'write' }],
      secrets: [{ name: 'tenantSecrets', access: 'read' }],
      executions: ['ingestDocument'],
    },
  ),

  schedules: http(
    'functions/schedules/handler.ts',
    'Schedules: workflows run on a cron in a time zone (one EventBridge Scheduler schedule each)',
    routes.schedules,
    { database: true, scheduler: 'manage' },
  ),

  batches: http(
    'functions/batches/handler.ts',
    'Batches: one run per input of a list (JSON or JSONL), through a Distributed Map (ADR 160)',
    routes.batches,
    {
      database: true,
      table: true,
      // The item list goes to the artifacts bucket, which the batch machine's map reads.
      buckets: [{ name: 'artifacts', access: 'write' }],
      executions: ['runBatch', 'runWorkflow'],
    },
  ),

  // --- Step Functions tasks of run-batch ---------------------------------------------
  advanceBatchItem: {
    entry: 'functions/batches/advance-item.ts',
    kind: 'task',
    description: "A batch item: start its run (the API's path), then report the run's status",
    // Starts the item's run: the table holds budget windows, the engine starts its execution.
    uses: { database: true, table: true, executions: ['runWorkflow'] },
  },
  finalizeBatch: {
    entry: 'functions/batches/finalize.ts',
    kind: 'task',
    description: 'Settle a batch after its Distributed Map (COMPLETED, or FAILED with the reason)',
    uses: { database: true },
  },

  // --- Step Functions tasks of ingest-document ------------------------------------------
  extractDocument: {
    entry: 'functions/ingest/extract.ts',
    kind: 'task',
    description: 'Ingestion: extract text from the upload or API text',
    memoryMb: 1024,
    timeoutSeconds: 300,
    uses: { database: true, buckets: [{ name: 'documents', access: 'write' }] },
  },
  chunkDocument: {
    entry: 'functions/ingest/chunk.ts',
    kind: 'task',
    description: 'Ingestion: structure-aware chunks with overlap, reusing identical embeddings',
    timeoutSeconds: 300,
    // It reads the extracted text from the documents bucket (the deploy rehearsal found it missing).
    uses: { database: true, buckets: [{ name: 'documents', access: 'read' }] },
  },
  embedChunks: {
    entry: 'functions/ingest/embed-batch.ts',
    kind: 'task',
    description: 'Ingestion: embed one batch of chunks',
    timeoutSeconds: 120,
    reservedConcurrency: 10,
    uses: { database: true, secrets: [{ name: 'tenantSecrets', access: 'read' }] },
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
    // Retired from the definition by ADR 187 (the agent function plans now); kept for executions
    // started under an earlier definition, which invoke it by ARN until they end.
    description: 'Plan: which steps are ready (executions started before ADR 187)',
    // Edge conditions may read outputs kept in the artifacts bucket (ADR 105).
    uses: { database: true, buckets: [{ name: 'artifacts', access: 'read' }] },
  },
  runAgentStep: {
    entry: 'functions/steps/run-agent-step.ts',
    kind: 'task',
    // Plan turns run here too: the one agent step a turn prepares often lands in the same instance
    // (ADR 187). Edge conditions may read outputs kept in the artifacts bucket (ADR 105).
    description: 'Plan a run and run its agent steps through the LLM gateway',
    timeoutSeconds: 300,
    // 10 steps per run (the Map's MaxConcurrency): 40 is four busy runs' worth at once.
    reservedConcurrency: 40,
    // Writes large prompts, outputs and tool turns to the artifacts bucket, reads them (ADR 105).
    uses: {
      database: true,
      table: true,
      buckets: [{ name: 'artifacts', access: 'write' }],
      secrets: [{ name: 'tenantSecrets', access: 'read' }],
    },
  },
  runToolStep: {
    entry: 'functions/steps/run-tool-step.ts',
    kind: 'task',
    description: 'Run one tool step',
    timeoutSeconds: 120,
    reservedConcurrency: 10,
    uses: {
      database: true,
      buckets: [{ name: 'artifacts', access: 'write' }],
      secrets: [{ name: 'tenantSecrets', access: 'read' }],
    },
  },
  runChildStep: {
    entry: 'functions/steps/run-child-step.ts',
    kind: 'task',
    description: 'Advance a sub-workflow or map step: start child runs, settle when all finished',
    timeoutSeconds: 120,
    uses: {
      database: true,
      executions: ['runWorkflow'],
      buckets: [{ name: 'artifacts', access: 'read' }],
    },
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
    uses: { database: true, buckets: [{ name: 'artifacts', access: 'read' }] },
  },

  settleFailedRun: {
    entry: 'functions/steps/settle-failed-run.ts',
    kind: 'task',
    description:
      'Settle a run FAILED with the reason when its execution failed, timed out or was aborted',
    uses: { database: true },
  },

  // --- scheduled tasks -------------------------------------------------------------------
  reconcileWebhooks: {
    entry: 'functions/reconcile/handler.ts',
    kind: 'task',
    description: "Redeliver failed GitHub App webhook deliveries inside GitHub's 3-day window",
    timeoutSeconds: 300,
    schedule: { everyMinutes: 15, description: 'Redeliver failed GitHub App deliveries' },
    uses: { database: true, secrets: [{ name: 'tenantSecrets', access: 'read' }] },
  },

  anchorAudit: {
    entry: 'functions/audit/anchor.ts',
    kind: 'task',
    description:
      'Sign every moved audit chain head (HMAC) and store it in the Object Lock bucket (ADR 053)',
    timeoutSeconds: 120,
    schedule: { everyMinutes: 10, description: 'Anchor audit chain heads' },
    uses: {
      database: true,
      buckets: [{ name: 'auditAnchors', access: 'write' }],
      secrets: [{ name: 'auditAnchorKey', access: 'read' }],
    },
  },

  fireSchedule: {
    entry: 'functions/schedules/fire.ts',
    kind: 'task',
    description:
      "Fire a schedule's slot (its EventBridge Scheduler schedule), re-arm it for the next; every 5 minutes, fire any overdue",
    timeoutSeconds: 120,
    schedule: { everyMinutes: 5, description: 'Fire user schedules left overdue (safety net)' },
    uses: { database: true, table: true, executions: ['runWorkflow'], scheduler: 'manage' },
  },

  // --- deployment -----------------------------------------------------------------------
  migrate: {
    entry: 'functions/deploy/migrate.ts',
    kind: 'task',
    description:
      'Create the vector extension and apply committed SQL migrations (runs on every deploy)',
    timeoutSeconds: 600,
    uses: { database: 'owner' },
  },
} satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

export const stateMachines = {
  runWorkflow: {
    asl: 'run-workflow.asl.json',
    description:
      'Interprets a workflow version: Plan → one step (its completion plans the next) or a Map over several → … → Finalize',
    tasks: {
      Plan: 'runAgentStep',
      RunAgentStep: 'runAgentStep',
      RunToolStep: 'runToolStep',
      RunChildStep: 'runChildStep',
      RecordStepFailure: 'recordStepFailure',
      AgentStep: 'runAgentStep',
      PreparedAgentStep: 'runAgentStep',
      ToolStep: 'runToolStep',
      ChildStep: 'runChildStep',
      StepFailed: 'recordStepFailure',
      Finalize: 'finalizeRun',
      SettleFailed: 'settleFailedRun',
    },
    retiredTasks: ['planRun'],
    onExecutionFailed: 'settleFailedRun',
  },
  runBatch: {
    asl: 'run-batch.asl.json',
    description:
      'Runs a batch: a Distributed Map over the item list in S3, one run per input, then Finalize',
    tasks: {
      AdvanceItem: 'advanceBatchItem',
      Finalize: 'finalizeBatch',
    },
    // A Finalize that fails (or an execution that times out) still settles the batch.
    onExecutionFailed: 'finalizeBatch',
    distributedMap: { itemsBucket: 'artifacts' },
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

/**
 * Every secret a function reads or writes: what its manifest entry declares, plus the JWT signing key
 * (read) when any of its routes needs credentials, since verifying a bearer token needs the key.
 */
export function secretsOf(spec: FunctionSpec): SecretUse[] {
  const declared = [...(spec.uses.secrets ?? [])];
  const authenticated = (spec.routes ?? []).some((r) => r.access !== 'public');
  if (authenticated && !declared.some((s) => s.name === 'jwtSigningKey'))
    declared.push({ name: 'jwtSigningKey', access: 'read' });
  return declared;
}

/** The `${...Arn}` placeholder a task's FunctionName uses in ASL. */
export function functionArnPlaceholder(name: FunctionName): string {
  return `${name}Arn`;
}
