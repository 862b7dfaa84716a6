/**
 * The shapes the console reads and writes. Where a zod contract exists in `shared/api/contracts`
 * the type is inferred from it (type-only imports: no zod reaches the bundle); the rest follow
 * DESIGN §9 for routes that later issues add.
 */
import type { z } from 'zod';
import type * as agents from '../../../shared/api/contracts/agents';
import type * as auth from '../../../shared/api/contracts/auth';
import type * as runs from '../../../shared/api/contracts/runs';
import type * as workflows from '../../../shared/api/contracts/workflows';
import type { WorkflowEdge, WorkflowInputField, WorkflowNode } from '../../../shared/workflow/model';

export type Role = 'owner' | 'admin' | 'dev' | 'viewer';
export const ROLES: readonly Role[] = ['owner', 'admin', 'dev', 'viewer'];

export type TokenPair = z.infer<typeof auth.TokenPair>;
export type Me = z.infer<typeof auth.Me>;
export type Member = z.infer<typeof auth.Member>;
export type MemberCreate = z.input<typeof auth.MemberCreateBody>;
export type ApiKey = z.infer<typeof auth.ApiKey>;
export type ApiKeyCreated = z.infer<typeof auth.ApiKeyCreated>;
export type ApiKeyCreate = z.input<typeof auth.ApiKeyCreateBody>;

export type Agent = z.infer<typeof agents.Agent>;
export type AgentVersion = z.infer<typeof agents.AgentVersion>;
export type AgentCreate = z.input<typeof agents.AgentCreateBody>;
export type AgentPatch = z.input<typeof agents.AgentPatchBody>;

export type { WorkflowEdge, WorkflowInputField, WorkflowNode };
export type Workflow = z.infer<typeof workflows.Workflow>;
export type WorkflowVersion = z.infer<typeof workflows.WorkflowVersion>;
export type WorkflowCreate = z.input<typeof workflows.WorkflowCreateBody>;
export type WorkflowPatch = z.input<typeof workflows.WorkflowPatchBody>;
export type RunStarted = z.infer<typeof workflows.RunStarted>;

export type Run = z.infer<typeof runs.Run>;
export type RunSummary = Omit<Run, 'steps'>;
export type RunStep = z.infer<typeof runs.RunStep>;
export type Attempt = z.infer<typeof runs.Attempt>;
export type RunEvent = z.infer<typeof runs.RunEvent>;
export type RunEvents = z.infer<typeof runs.RunEvents>;
export type RunStatus = Run['status'];
export type StepStatus = RunStep['status'];

export const RUN_STATUSES: readonly RunStatus[] = ['QUEUED', 'RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface FieldIssue {
  path: string;
  message: string;
}

// --- routes added by later issues (DESIGN §9); tolerant of extra fields --------------------

export const PROVIDER_IDS = ['openai', 'anthropic', 'gemini', 'compatible', 'simulator'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export interface ProviderStatus {
  provider: string;
  /** Whether a key is set (from the console or the environment). */
  configured?: boolean;
  /** The last four characters of the key, never the key. */
  last4?: string | null;
  source?: string;
  baseUrl?: string | null;
  simulated?: boolean;
}

export interface UsageRow {
  day?: string;
  date?: string;
  workflow?: string;
  workflowId?: string;
  workflowSlug?: string;
  provider?: string;
  model?: string;
  step?: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  calls?: number;
}

export interface UsageReport {
  items: UsageRow[];
  totals?: { costUsd: number; inputTokens: number; outputTokens: number; calls?: number };
}

export interface Budget {
  /** Spending limit in USD per period; null for none. */
  monthlyLimitUsd?: number | null;
  limitUsd?: number | null;
  period?: string;
  spentUsd?: number;
  [key: string]: unknown;
}

export interface KnowledgeBase {
  id: string;
  name: string;
  embeddingModel: string;
  chunking: { size: number; overlap: number };
}

export interface KnowledgeDocument {
  id: string;
  title: string;
  status: string;
  chunkCount: number;
  error?: string;
}

export interface SearchHit {
  documentId: string;
  title: string;
  chunkId: string;
  text: string;
  score: number;
  start: number;
  end: number;
}

export interface TriggerRules {
  events: string[];
  repositories?: string[];
  branches?: string[];
  labels?: string[];
  projects?: string[];
  issueTypes?: string[];
}

export interface Trigger {
  id: string;
  name: string;
  source: 'github' | 'jira';
  workflowId: string;
  rules: TriggerRules;
  inputMapping: Record<string, string>;
  enabled: boolean;
  webhookUrl: string;
  /** Only in the create response. */
  secret?: string;
}

export interface Delivery {
  id: string;
  receivedAt?: string;
  at?: string;
  event?: string;
  status?: string;
  outcome?: string;
  reason?: string;
  runId?: string | null;
  [key: string]: unknown;
}
