import * as z from 'zod';
import { IdOrSlug, PageQuery, Uuid } from './common';
import { NodeId, RUN_STATUSES, STEP_STATUSES } from '../../workflow/model';

export const RunListQuery = PageQuery.extend({
  status: z.enum(RUN_STATUSES).optional(),
  /** The workflow's id or slug. */
  workflowId: IdOrSlug.optional(),
  /** Only the firings of this schedule. */
  scheduleId: Uuid.optional(),
  /** Only the runs of this batch. */
  batchId: Uuid.optional(),
});
export const RunEventsQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
/** `after` resumes like `Last-Event-ID` for clients that cannot set headers (EventSource). */
export const RunStreamQuery = z.object({
  after: z.coerce.number().int().min(0).optional(),
});
export const RunStepParams = z.object({ id: Uuid, stepId: z.union([Uuid, NodeId]) });
export const RerunBody = z.object({
  fromStep: NodeId.optional(),
  /** New input: the re-run is a fork of the old run (recorded on the new run's timeline). */
  input: z.record(z.string(), z.unknown()).optional(),
});
export const ApprovalBody = z.object({ comment: z.string().max(5000).optional() });

export const Attempt = z.object({
  n: z.number().int(),
  provider: z.string(),
  model: z.string(),
  outcome: z.string(),
  errorName: z.string().optional(),
  errorMessage: z.string().optional(),
  latencyMs: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
});
export const RunStep = z.object({
  id: Uuid,
  nodeId: z.string(),
  type: z.string(),
  status: z.enum(STEP_STATUSES),
  /** Loop iteration, from 1; a loop body's nodes have one step per iteration. */
  iteration: z.number().int().min(1).optional(),
  /** Why a SKIPPED step did not run. */
  skipReason: z.string().optional(),
  prompt: z.string().optional(),
  output: z.unknown().optional(),
  error: z.object({ name: z.string(), message: z.string() }).optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  provider: z.string().optional(),
  model: z.string().optional(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
  /** PII values found by class: masked in the stored prompt, and sent to the provider as placeholders. */
  pii: z
    .object({
      masked: z.record(z.string(), z.number()),
      toProvider: z.record(z.string(), z.number()),
    })
    .optional(),
  /**
   * Fields kept in S3 (ADR 105) and shown here as a preview, with their full size in bytes:
   * `GET /v1/runs/{id}/steps/{stepId}` returns them whole.
   */
  truncated: z
    .object({ prompt: z.number().int().optional(), output: z.number().int().optional() })
    .optional(),
  attempts: z.array(Attempt),
  /** Sub-workflow and map steps: their child runs, in item order. */
  children: z
    .array(z.object({ runId: Uuid, index: z.number().int().optional(), status: z.string() }))
    .optional(),
});
export const Run = z.object({
  id: Uuid,
  workflowId: Uuid,
  workflowSlug: z.string(),
  workflowVersion: z.number().int(),
  status: z.enum(RUN_STATUSES),
  input: z.unknown(),
  output: z.unknown().optional(),
  error: z.object({ name: z.string(), message: z.string() }).optional(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  costUsd: z.number(),
  /** A child run: the run and step that started it, and its item in a map. */
  parentRunId: Uuid.optional(),
  parentStepId: Uuid.optional(),
  itemIndex: z.number().int().optional(),
  /** A scheduled firing: its schedule and the slot it fired for. */
  scheduleId: Uuid.optional(),
  scheduledFor: z.string().optional(),
  /** A batch's run: its batch and the index of its input in the batch. */
  batchId: Uuid.optional(),
  batchIndex: z.number().int().optional(),
  steps: z.array(RunStep),
});
/** A run without its steps, as lists show it. */
export const RunSummary = Run.omit({ steps: true });
export const RunEvent = z.object({
  seq: z.number().int(),
  type: z.string(),
  stepId: z.string().optional(),
  nodeId: z.string().optional(),
  message: z.string(),
  data: z.unknown().optional(),
  at: z.string(),
});
export const RunEvents = z.object({ items: z.array(RunEvent), nextAfter: z.number().int() });

/** `GET /v1/approvals`: only waiting approvals are listed (decided ones are on their runs). */
export const ApprovalListQuery = PageQuery.extend({
  status: z.enum(['waiting']).default('waiting'),
});
/** An upstream step's output the approval gates, cut to a preview for the inbox. */
export const GatedOutput = z.object({
  nodeId: z.string(),
  /** The output as text (JSON for structured outputs), at most APPROVAL_PREVIEW_CHARS. */
  output: z.string(),
  /** The full text's length in characters; the run's step gives it whole. */
  chars: z.number().int(),
  truncated: z.boolean(),
});
export const WaitingApproval = z.object({
  runId: Uuid,
  stepId: Uuid,
  nodeId: z.string(),
  iteration: z.number().int().min(1),
  workflowId: Uuid,
  workflowSlug: z.string(),
  workflowVersion: z.number().int(),
  /** The approval node's prompt rendered on the run's data (what the approver is asked). */
  message: z.string().optional(),
  /** The outputs of the steps whose edges lead into the approval. */
  gates: z.array(GatedOutput),
  waitingSince: z.string(),
  runStartedAt: z.string(),
});

/** `POST /v1/agents/{id}/try`: the agent alone on one prompt (ADR 164). */
export const AgentTryBody = z
  .object({
    prompt: z.string().trim().min(1).max(100_000),
    /** A saved version of the agent (default: its published version, ADR 120). */
    version: z.number().int().min(1).optional(),
  })
  .strict();
