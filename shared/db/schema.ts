/**
 * The drizzle schema: typed access to the tables that migrations/*.sql create. The SQL files are
 * the source of truth for DDL (they carry RLS policies, roles and functions drizzle cannot express);
 * a test checks every column here exists in the migrated database.
 */
import {
  bigint,
  boolean,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const money = (name: string) => numeric(name, { precision: 14, scale: 6, mode: 'number' });

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  /** Added by 0060_identity: every member must sign in with a second factor. */
  mfaRequired: boolean('mfa_required').notNull().default(false),
  /** Added by 0060_identity: members sign in through the tenant's SSO (owners keep a password). */
  ssoOnly: boolean('sso_only').notNull().default(false),
  /** Added by 0060_identity: per PII class, what happens to detected values (null: defaults). */
  piiPolicy: jsonb('pii_policy'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull(),
  name: text('name'),
  passwordHash: text('password_hash').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const memberships = pgTable(
  'memberships',
  {
    tenantId: uuid('tenant_id').notNull(),
    userId: uuid('user_id').notNull(),
    role: text('role').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] })],
);

export const refreshTokens = pgTable('refresh_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  userId: uuid('user_id').notNull(),
  familyId: uuid('family_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  expiresAt: ts('expires_at').notNull(),
  rotatedAt: ts('rotated_at'),
  revokedAt: ts('revoked_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  name: text('name').notNull(),
  prefix: text('prefix').notNull(),
  secretHash: text('secret_hash').notNull(),
  role: text('role').notNull(),
  createdBy: uuid('created_by'),
  expiresAt: ts('expires_at'),
  revokedAt: ts('revoked_at'),
  lastUsedAt: ts('last_used_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const agents = pgTable('agents', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  slug: text('slug').notNull(),
  currentVersion: integer('current_version').notNull(),
  /** 0120_published_versions: what runs use when they name no version (ADR 120). */
  publishedVersion: integer('published_version').notNull(),
  deletedAt: ts('deleted_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const agentVersions = pgTable(
  'agent_versions',
  {
    tenantId: uuid('tenant_id').notNull(),
    agentId: uuid('agent_id').notNull(),
    version: integer('version').notNull(),
    spec: jsonb('spec').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.version] })],
);

export const workflows = pgTable('workflows', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  slug: text('slug').notNull(),
  currentVersion: integer('current_version').notNull(),
  /** 0120_published_versions: what runs use when they name no version (ADR 120). */
  publishedVersion: integer('published_version').notNull(),
  deletedAt: ts('deleted_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const workflowVersions = pgTable(
  'workflow_versions',
  {
    tenantId: uuid('tenant_id').notNull(),
    workflowId: uuid('workflow_id').notNull(),
    version: integer('version').notNull(),
    spec: jsonb('spec').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workflowId, t.version] })],
);

export const runs = pgTable('runs', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  workflowId: uuid('workflow_id').notNull(),
  workflowVersion: integer('workflow_version').notNull(),
  agentVersions: jsonb('agent_versions').notNull(),
  status: text('status').notNull(),
  input: jsonb('input').notNull(),
  output: jsonb('output'),
  error: jsonb('error'),
  costUsd: money('cost_usd').notNull().default(0),
  executionIds: jsonb('execution_ids').notNull().default([]),
  rerunOf: uuid('rerun_of'),
  /** A child run of a sub-workflow or map node (0090_workflow_language): its parent run and step. */
  parentRunId: uuid('parent_run_id'),
  parentStepId: uuid('parent_step_id'),
  /** A map's child: the index of its item. */
  itemIndex: integer('item_index'),
  /** A scheduled firing (0121_schedules): its schedule and the slot it fired for. */
  scheduleId: uuid('schedule_id'),
  scheduledFor: ts('scheduled_for'),
  /** A batch's run (0170_batches): its batch and the index of its input in the batch. */
  batchId: uuid('batch_id'),
  batchIndex: integer('batch_index'),
  createdBy: text('created_by'),
  startedAt: ts('started_at').notNull().defaultNow(),
  finishedAt: ts('finished_at'),
});

export const runSteps = pgTable('run_steps', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  runId: uuid('run_id').notNull(),
  nodeId: text('node_id').notNull(),
  type: text('type').notNull(),
  status: text('status').notNull(),
  prompt: text('prompt'),
  output: jsonb('output'),
  error: jsonb('error'),
  provider: text('provider'),
  model: text('model'),
  inputTokens: integer('input_tokens').notNull().default(0),
  outputTokens: integer('output_tokens').notNull().default(0),
  costUsd: money('cost_usd').notNull().default(0),
  /** Added by 0060_identity: how many values of each PII class were masked (never the values). */
  pii: jsonb('pii'),
  startedAt: ts('started_at'),
  finishedAt: ts('finished_at'),
  /** Loop iteration, from 1 (0090_workflow_language): a loop body's nodes get one step per iteration. */
  iteration: integer('iteration').notNull().default(1),
  /** Why a SKIPPED step did not run (the planner's reason). */
  skipReason: text('skip_reason'),
  /** The tool-calling loop's turns so far (0130_agent_tool_turns, ADR 130); null without tools. */
  toolTurns: jsonb('tool_turns'),
  /** Pointers to the fields kept in the artifacts bucket (0160_step_payloads, ADR 105). */
  payloads: jsonb('payloads'),
});

export const usageRecords = pgTable('usage_records', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  workflowId: uuid('workflow_id'),
  runId: uuid('run_id'),
  stepId: uuid('step_id'),
  executionId: text('execution_id'),
  attempt: integer('attempt').notNull(),
  provider: text('provider').notNull(),
  model: text('model').notNull(),
  /** The chain entry the attempt used (`openai:gpt-4.1-mini`); added by 0002_gateway. */
  modelRef: text('model_ref'),
  outcome: text('outcome').notNull(),
  errorName: text('error_name'),
  errorMessage: text('error_message'),
  /** The provider's Retry-After on a 429; added by 0002_gateway. */
  retryAfterMs: integer('retry_after_ms'),
  latencyMs: integer('latency_ms').notNull().default(0),
  inputTokens: integer('input_tokens').notNull().default(0),
  outputTokens: integer('output_tokens').notNull().default(0),
  cachedInputTokens: integer('cached_input_tokens').notNull().default(0),
  costUsd: money('cost_usd').notNull().default(0),
  priced: boolean('priced').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const runEvents = pgTable('run_events', {
  seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  tenantId: uuid('tenant_id').notNull(),
  runId: uuid('run_id').notNull(),
  stepId: uuid('step_id'),
  nodeId: text('node_id'),
  type: text('type').notNull(),
  message: text('message').notNull(),
  data: jsonb('data'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const auditLog = pgTable('audit_log', {
  seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  tenantId: uuid('tenant_id').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  target: text('target'),
  data: jsonb('data'),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** 0121_schedules: a workflow on a cron in a time zone; `nextFireAt` is the slot the timer fires. */
export const schedules = pgTable('schedules', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  workflowId: uuid('workflow_id').notNull(),
  workflowVersion: integer('workflow_version'),
  cron: text('cron').notNull(),
  timezone: text('timezone').notNull(),
  input: jsonb('input').notNull(),
  enabled: boolean('enabled').notNull(),
  nextFireAt: ts('next_fire_at'),
  lastFiredAt: ts('last_fired_at'),
  lastRunId: uuid('last_run_id'),
  lastError: text('last_error'),
  createdBy: text('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** 0170_batches: one run per input of a list, through a Distributed Map (ADR 160). */
export const batches = pgTable('batches', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  workflowId: uuid('workflow_id').notNull(),
  workflowVersion: integer('workflow_version').notNull(),
  status: text('status').notNull(),
  total: integer('total').notNull(),
  maxConcurrency: integer('max_concurrency').notNull(),
  itemsKey: text('items_key').notNull(),
  executionId: text('execution_id'),
  error: jsonb('error'),
  createdBy: text('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  finishedAt: ts('finished_at'),
});
