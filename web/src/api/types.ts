/**
 * The shapes the console reads and writes: the OpenAPI document's (generated/openapi.ts, ADR 141
 * and 145), so the console is typed by the published contract, not the server's zod types.
 * The workflow model types stay the domain's: the editor builds its drafts from them.
 */
import type { USAGE_GROUPS } from '../../../shared/api/contracts/usage';
import type {
  WorkflowEdge,
  WorkflowInputField,
  WorkflowNode,
} from '../../../shared/workflow/model';
import type { components } from './generated/openapi';
import type { Answer, RequestBody } from './typed';

type S = components['schemas'];

export type Role = S['Role'];
export const ROLES: readonly Role[] = ['owner', 'admin', 'dev', 'viewer'];

export type TokenPair = S['TokenPair'];
export type SignInResult = S['MfaSignInResult'];
export type MfaChallenge = S['MfaChallenge'];
export type MfaEnrolment = S['MfaEnrolment'];
export type MfaStatus = S['MfaStatus'];
export type InvitationPreview = S['InvitationPreview'];
export type Me = S['Me'];
export type Member = S['Member'];
export type MemberCreate = RequestBody<'post', '/v1/members'>;
export type Invitation = S['Invitation'];
export type InvitationCreated = S['InvitationCreated'];
export type ApiKey = S['ApiKey'];
export type ApiKeyCreated = S['ApiKeyCreated'];
export type ApiKeyCreate = RequestBody<'post', '/v1/api-keys'>;

export type Agent = S['Agent'];
export type AgentVersion = S['AgentVersion'];
export type AgentCreate = RequestBody<'post', '/v1/agents'>;
export type AgentPatch = RequestBody<'patch', '/v1/agents/{id}'>;

export type { WorkflowEdge, WorkflowInputField, WorkflowNode };
export type Workflow = S['Workflow'];
export type WorkflowVersion = S['WorkflowVersion'];
// The request bodies are the contract's (generated): zod's input type of the recursive edge
// condition is `unknown` (a `z.ZodType<Condition>` has no input type), the document spells it out.
export type WorkflowCreate = RequestBody<'post', '/v1/workflows'>;
export type WorkflowPatch = RequestBody<'patch', '/v1/workflows/{id}'>;
export type RunStarted = S['RunStarted'];
export type ImportReport = S['ImportReport'];
export type ImportOutcome = S['ImportOutcome'];
/** The formats an import accepts (the request content types the import operations declare). */
export type FileContentType = 'application/json' | 'application/yaml';

export type Run = S['Run'];
export type RunSummary = S['RunSummary'];
export type RunStep = S['RunStep'];
export type Attempt = S['Attempt'];
export type RunEvent = S['RunEvent'];
export type RunEvents = S['RunEvents'];
export type WaitingApproval = S['WaitingApproval'];
export type GatedOutput = S['GatedOutput'];
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

// --- providers, usage and budgets, knowledge, triggers ------------------------------------

export const PROVIDER_IDS = [
  'openai',
  'anthropic',
  'gemini',
  'compatible',
  'cohere',
  'voyage',
  'jina',
] as const satisfies readonly S['ProviderStatus']['provider'][];
export type ProviderId = (typeof PROVIDER_IDS)[number];
export type ProviderStatus = S['ProviderStatus'];
export type ProviderKeyBody = RequestBody<'put', '/v1/providers/{provider}/key'>;

export type UsageRow = S['UsageRow'];
export type UsageReport = S['UsageReport'];
export type UsageGroup = (typeof USAGE_GROUPS)[number];
export type Budgets = S['Budgets'];
export type BudgetLine = Budgets['tenant'];
export type BudgetsBody = RequestBody<'put', '/v1/budgets'>;

export type KnowledgeBase = S['KnowledgeBase'];
export type KnowledgeBaseCreate = RequestBody<'post', '/v1/knowledge-bases'>;
export type KnowledgeDocument = S['Document'];
export type KnowledgeDocumentCreated = S['DocumentCreated'];
export type SearchHit = S['SearchHit'];
export type SearchResult = S['SearchResult'];
export type SearchMode = SearchResult['mode'];
export type DocumentStatus = KnowledgeDocument['status'];
/** Documents in these states are still being ingested (the page polls while any is). */
export const DOCUMENT_IN_PROGRESS: readonly DocumentStatus[] = [
  'queued',
  'extracting',
  'chunking',
  'embedding',
];

export type TriggerRules = S['TriggerRules'];
export type Trigger = S['Trigger'];
export type TriggerCreated = S['TriggerCreated'];
export type TriggerCreate = RequestBody<'post', '/v1/triggers'>;
export type TriggerPatch = RequestBody<'patch', '/v1/triggers/{id}'>;
export type Schedule = Answer<'get', '/v1/schedules/{id}'>;
export type ScheduleCreate = RequestBody<'post', '/v1/schedules'>;
export type SchedulePatch = RequestBody<'patch', '/v1/schedules/{id}'>;
export type Delivery = S['Delivery'];
