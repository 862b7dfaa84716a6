import * as z from 'zod';
import { Slug, Uuid } from './common';
import { WorkflowGraph } from '../../workflow/model';
import { patchOf } from '../strict';

export const WorkflowSpec = WorkflowGraph.extend({
  name: z.string().min(1).max(100),
  description: z.string().max(2000).default(''),
});
export type WorkflowSpec = z.infer<typeof WorkflowSpec>;

export const WorkflowCreateBody = WorkflowSpec.extend({ slug: Slug });
/** Names only the fields it changes; `null` clears an optional field. */
export const WorkflowPatchBody = patchOf(WorkflowSpec);
export const Workflow = WorkflowSpec.extend({
  id: Uuid,
  slug: z.string(),
  /** The latest saved version (this body's spec). */
  version: z.number().int(),
  /** What runs, triggers and schedules use when they name no version (ADR 120). */
  publishedVersion: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const WorkflowVersion = z.object({
  version: z.number().int(),
  spec: WorkflowSpec,
  createdAt: z.string(),
});

export const RunStartBody = z.object({
  input: z.record(z.string(), z.unknown()).default({}),
  /** Run this version of the workflow instead of the current one. */
  version: z.number().int().min(1).optional(),
});
export const RunStarted = z.object({ runId: Uuid, status: z.string() });

/** `POST /v1/workflows/{id}/publish`: any saved version; an older one is a rollback. */
export const WorkflowPublishBody = z.object({ version: z.number().int().min(1) });
