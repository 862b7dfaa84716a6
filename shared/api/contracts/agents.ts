import * as z from 'zod';
import { Slug, Uuid } from './common';
import { ModelRef } from '../../llm/model-ref';
import { patchOf } from '../strict';
import { MAX_TURNS_LIMIT, agentToolProblem } from '../../tools/agent-tools/catalog';

export const AgentParameters = z.object({
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().min(1).max(200_000).optional(),
});

export const AgentSpec = z.object({
  name: z.string().min(1).max(100),
  role: z.string().max(100).default(''),
  systemPrompt: z.string().max(100_000).default(''),
  model: ModelRef,
  fallbacks: z.array(ModelRef).max(5).default([]),
  parameters: AgentParameters.default({}),
  /** JSON Schema the answer must satisfy (structured output). */
  outputSchema: z.record(z.string(), z.unknown()).optional(),
  knowledgeBaseIds: z.array(Uuid).max(10).optional(),
  /** An allow-list of the tools the model may call (shared/tools/agent-tools/catalog.ts). */
  tools: z
    .array(
      z
        .string()
        .min(1)
        .max(100)
        .superRefine((name, ctx) => {
          const problem = agentToolProblem(name);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
    )
    .max(20)
    .refine((names) => new Set(names).size === names.length, 'each tool may be listed once')
    .optional(),
  /** Model turns of the tool-calling loop (default 8). */
  maxTurns: z.number().int().min(1).max(MAX_TURNS_LIMIT).optional(),
});
export type AgentSpec = z.infer<typeof AgentSpec>;

export const AgentCreateBody = AgentSpec.extend({ slug: Slug });
/** Names only the fields it changes; `null` clears an optional field. */
export const AgentPatchBody = patchOf(AgentSpec);

export const Agent = AgentSpec.extend({
  id: Uuid,
  slug: z.string(),
  /** The latest saved version (this body's spec). */
  version: z.number().int(),
  /** What runs, triggers and schedules use when they name no version (ADR 120). */
  publishedVersion: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const AgentVersion = z.object({
  version: z.number().int(),
  spec: AgentSpec,
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});

/** `POST /v1/agents/{id}/publish`: any saved version; an older one is a rollback. */
export const AgentPublishBody = z.object({ version: z.number().int().min(1) });
