import * as z from 'zod';
import { Slug } from '../api/contracts/common';
import { Condition } from './condition';

/** Node ids appear in templates as `{{steps.<id>.output}}`. */
export const NodeId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9_-]*$/, 'lowercase letter first, then letters, digits, _ or -');

export const WorkflowNode = z.object({
  id: NodeId,
  type: z.enum(['agent', 'tool', 'approval', 'router', 'workflow', 'map']),
  /** The slug of an agent in the same tenant (types agent and router). */
  agent: Slug.optional(),
  /** Agent and router: pin this version of the agent (default: its published version, ADR 120). */
  agentVersion: z.number().int().min(1).optional(),
  /** Tool name (type tool), e.g. `github.comment`. */
  tool: z.string().min(1).max(100).optional(),
  /** Prompt template: `{{input.<field>}}` and `{{steps.<nodeId>.output}}`. */
  prompt: z.string().max(100_000).optional(),
  /** Tool arguments (templated strings allowed) or step policy. */
  with: z.record(z.string(), z.unknown()).optional(),
  /** Router: the answers the model must choose from; the step's output is the chosen route. */
  routes: z.array(z.string().min(1).max(64)).min(2).max(20).optional(),
  /** Sub-workflow and map: the slug of the workflow each child run runs. */
  workflow: Slug.optional(),
  /** Sub-workflow and map: pin this version of it (default: its published version). */
  version: z.number().int().min(1).optional(),
  /** Sub-workflow and map: the child run's input; strings are templates. */
  input: z.record(z.string(), z.unknown()).optional(),
  /** Map: the path of the list to fan out over, e.g. `steps.split.output.files`. */
  items: z
    .string()
    .min(1)
    .max(300)
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'dotted path such as steps.split.output.files')
    .optional(),
  /** Map: the input field each item is passed as (default `item`). */
  as: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _')
    .optional(),
  /** Map: child runs in flight at once (default 5). */
  maxConcurrency: z.number().int().min(1).max(50).optional(),
  /** Retry policy of this step: attempts Step Functions makes before the step fails. */
  maxAttempts: z.number().int().min(1).max(10).optional(),
});
export type WorkflowNode = z.infer<typeof WorkflowNode>;

export const WorkflowEdge = z.object({
  from: NodeId,
  to: NodeId,
  /** success (default): `to` runs after `from` succeeded; failure: only if it failed; always: either way. */
  when: z.enum(['success', 'failure', 'always']).optional(),
  /** Taken only when this also holds on the run's data (evaluated when `from` has finished). */
  if: Condition.optional(),
  /** Marks a loop's back edge (to an ancestor): the loop body runs at most this many times. */
  maxIterations: z.number().int().min(1).max(20).optional(),
});
export type WorkflowEdge = z.infer<typeof WorkflowEdge>;

/** A declared run input: the console renders a form from these; templates may reference only declared inputs when any are declared. */
export const WorkflowInputField = z.object({
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _'),
  description: z.string().max(500).optional(),
  required: z.boolean().optional(),
  multiline: z.boolean().optional(),
});
export type WorkflowInputField = z.infer<typeof WorkflowInputField>;

export const WorkflowGraph = z.object({
  inputs: z.array(WorkflowInputField).max(50).default([]),
  nodes: z.array(WorkflowNode).min(1).max(100),
  edges: z.array(WorkflowEdge).max(500).default([]),
});
export type WorkflowGraph = z.infer<typeof WorkflowGraph>;

export const STEP_STATUSES = [
  'PENDING',
  'RUNNING',
  'WAITING',
  'SUCCEEDED',
  'FAILED',
  'SKIPPED',
  /** In flight when its run was cancelled (a model call's cost is still recorded). */
  'CANCELLED',
] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];
export const RUN_STATUSES = [
  'QUEUED',
  'RUNNING',
  'WAITING',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
