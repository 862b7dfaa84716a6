import * as z from 'zod';
import { Slug, Uuid } from './common';
import { ModelRef } from '../../llm/model-ref';
import { patchOf } from '../strict';

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
  tools: z.array(z.string().min(1).max(100)).max(50).optional(),
});
export type AgentSpec = z.infer<typeof AgentSpec>;

export const AgentCreateBody = AgentSpec.extend({ slug: Slug });
/** Names only the fields it changes; `null` clears an optional field. */
export const AgentPatchBody = patchOf(AgentSpec);

export const Agent = AgentSpec.extend({
  id: Uuid,
  slug: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const AgentVersion = z.object({
  version: z.number().int(),
  spec: AgentSpec,
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});
