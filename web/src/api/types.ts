/**
 * The shapes the console reads and writes. Where a zod contract exists in `shared/api/contracts`
 * the type is inferred from it (type-only imports: no zod reaches the bundle).
 */
import type { z } from 'zod';
import type { RequestBody } from './typed';
import type * as agents from '../../../shared/api/contracts/agents';
import type * as auth from '../../../shared/api/contracts/auth';
import type * as files from '../../../shared/api/contracts/catalog-files';
import type * as knowledge from '../../../shared/api/contracts/knowledge';
import type * as providers from '../../../shared/api/contracts/providers';
import type * as runs from '../../../shared/api/contracts/runs';
import type * as triggers from '../../../shared/api/contracts/triggers';
import type * as schedules from '../../../shared/api/contracts/schedules';
import type * as usage from '../../../shared/api/contracts/usage';
import type * as workflows from '../../../shared/api/contracts/workflows';
import type {
  WorkflowEdge,
  WorkflowInputField,
  WorkflowNode,
} from '../../../shared/workflow/model';

export type Role = 'owner' | 'admin' | 'dev' | 'viewer';
export const ROLES: readonly Role[] = ['owner', 'admin', 'dev', 'viewer'];

export type TokenPair = z.infer<typeof auth.TokenPair>;
export type SignInResult = z.infer<typeof auth.MfaSignInResult>;
export type MfaChallenge = z.infer<typeof auth.MfaChallenge>;
export type MfaEnrolment = z.infer<typeof auth.MfaEnrolment>;
export type MfaStatus = z.infer<typeof auth.MfaStatus>;
export type InvitationPreview = z.infer<typeof auth.InvitationPreview>;
export type Me = z.infer<typeof auth.Me>;
export type Member = z.infer<typeof auth.Member>;
export type MemberCreate = z.input<typeof auth.MemberCreateBody>;
export type Invitation = z.infer<typeof auth.Invitation>;
export type InvitationCreated = z.infer<typeof auth.InvitationCreated>;
export type ApiKey = z.infer<typeof auth.ApiKey>;
export type ApiKeyCreated = z.infer<typeof auth.ApiKeyCreated>;
export type ApiKeyCreate = z.input<typeof auth.ApiKeyCreateBody>;

export type Agent = z.infer<typeof agents.Agent>;
export type AgentVersion = z.infer<typeof agents.AgentVersion>;
export type AgentCreate = z.input<typeof agents.AgentCreateBody>;
export type AgentPatch = RequestBody<'patch', '/v1/agents/{id}'>;

export type { WorkflowEdge, WorkflowInputField, WorkflowNode };
export type Workflow = z.infer<typeof workflows.Workflow>;
export type WorkflowVersion = z.infer<typeof workflows.WorkflowVersion>;
// The request bodies are the contract's (generated): zod's input type of the recursive edge
// condition is `unknown` (a `z.ZodType<Condition>` has no input type), the document spells it out.
export type WorkflowCreate = RequestBody<'post', '/v1/workflows'>;
export type WorkflowPatch = RequestBody<'patch', '/v1/workflows/{id}'>;
export type RunStarted = z.infer<typeof workflows.RunStarted>;
export type ImportReport = z.infer<typeof files.ImportReport>;
export type ImportOutcome = z.infer<typeof files.ImportOutcome>;
/** The formats an import accepts (the request content types the import operations declare). */
export type FileContentType = 'application/json' | 'application/yaml';

export type Run = z.infer<typeof runs.Run>;
export type RunSummary = Omit<Run, 'steps'>;
export type RunStep = z.infer<typeof runs.RunStep>;
export type Attempt = z.infer<typeof runs.Attempt>;
export type RunEvent = z.infer<typeof runs.RunEvent>;
export type RunEvents = z.infer<typeof runs.RunEvents>;
export type RunStatus = Run['status'];
export type StepStatus = RunStep['status'];

export const RUN_STATUSES: readonly RunStatus[] = [
  'QUEUED',
  'RUNNING',
  'WAITING',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
];

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface FieldIssue {
  path: string;
  message: string;
}

// --- providers, usage and budgets, knowledge, triggers (their contracts, type-only) -------

export const PROVIDER_IDS = [
  'openai',
  'anthropic',
  'gemini',
  'compatible',
  'cohere',
  'voyage',
  'jina',
] as const satisfies readonly z.infer<typeof providers.ProviderStatus>['provider'][];
export type ProviderId = (typeof PROVIDER_IDS)[number];
export type ProviderStatus = z.infer<typeof providers.ProviderStatus>;
export type ProviderKeyBody = z.input<typeof providers.ProviderKeyBody>;

export type UsageRow = z.infer<typeof usage.UsageRow>;
export type UsageReport = z.infer<typeof usage.UsageReport>;
export type UsageGroup = (typeof usage.USAGE_GROUPS)[number];
export type Budgets = z.infer<typeof usage.Budgets>;
export type BudgetLine = Budgets['tenant'];
export type BudgetsBody = z.input<typeof usage.BudgetsBody>;

export type KnowledgeBase = z.infer<typeof knowledge.KnowledgeBase>;
export type KnowledgeBaseCreate = z.input<typeof knowledge.KnowledgeBaseCreateBody>;
export type KnowledgeDocument = z.infer<typeof knowledge.Document>;
export type KnowledgeDocumentCreated = z.infer<typeof knowledge.DocumentCreated>;
export type SearchHit = z.infer<typeof knowledge.SearchHit>;
export type SearchResult = z.infer<typeof knowledge.SearchResult>;
export type SearchMode = SearchResult['mode'];
export type DocumentStatus = KnowledgeDocument['status'];
/** Documents in these states are still being ingested (the page polls while any is). */
export const DOCUMENT_IN_PROGRESS: readonly DocumentStatus[] = [
  'queued',
  'extracting',
  'chunking',
  'embedding',
];

export type TriggerRules = z.infer<typeof triggers.TriggerRules>;
export type Trigger = z.infer<typeof triggers.Trigger>;
export type TriggerCreated = z.infer<typeof triggers.TriggerCreated>;
export type TriggerCreate = z.input<typeof triggers.TriggerCreateBody>;
export type TriggerPatch = z.input<typeof triggers.TriggerPatchBody>;
export type Schedule = z.infer<typeof schedules.Schedule>;
export type ScheduleCreate = z.input<typeof schedules.ScheduleCreateBody>;
export type SchedulePatch = z.input<typeof schedules.SchedulePatchBody>;
export type Delivery = z.infer<typeof triggers.Delivery>;
