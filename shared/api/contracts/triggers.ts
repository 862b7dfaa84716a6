import * as z from 'zod';
import { IdOrSlug, Uuid } from './common';

const Name = z.string().min(1).max(200);
const Names = z.array(Name).min(1).max(100);

/** Which deliveries start the workflow; every rule given must hold (empty/absent rules match anything). */
export const TriggerRules = z
  .object({
    /** GitHub: `pull_request.opened`, `pull_request` (any action), `push`; Jira: `jira:issue_created`. */
    events: z
      .array(
        z
          .string()
          .min(1)
          .max(100)
          .regex(
            /^[a-z0-9_:.]+$/,
            'event names are lowercase, e.g. pull_request.opened or jira:issue_created',
          ),
      )
      .min(1)
      .max(50),
    /** GitHub `owner/repo`, case-insensitive. */
    repositories: Names.optional(),
    /** GitHub: the PR base branch or the pushed branch. */
    branches: Names.optional(),
    /** Any of these labels (GitHub PR/issue labels, Jira labels). */
    labels: Names.optional(),
    /** GitHub: true only drafts, false only ready PRs; absent: both. */
    draft: z.boolean().optional(),
    /** Jira project keys. */
    projects: Names.optional(),
    /** Jira issue type names. */
    issueTypes: Names.optional(),
    /** JQL-like equality filters on payload paths: `{"issue.fields.priority.name": ["High", "Highest"]}`. */
    fields: z.record(z.string().min(1).max(200), z.union([Name, Names])).optional(),
  })
  .strict();
export type TriggerRules = z.infer<typeof TriggerRules>;

/** Input name → `$.json.path` into the payload (or a literal string). */
export const InputMapping = z.record(
  z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'input names are identifiers'),
  z.string().min(1).max(500),
);

/** Write-only provider credentials: stored in the secret store, never returned. */
export const TriggerCredentials = z.discriminatedUnion('type', [
  z.object({ type: z.literal('token'), token: z.string().min(8).max(4000) }).strict(),
  z
    .object({
      type: z.literal('app'),
      appId: z.union([z.string().min(1).max(50), z.number().int().positive()]),
      privateKey: z
        .string()
        .min(100)
        .max(10_000)
        .refine((k) => k.includes('PRIVATE KEY'), 'a PEM private key'),
      installationId: z.number().int().positive().optional(),
    })
    .strict(),
  z
    .object({ type: z.literal('basic'), email: z.email(), apiToken: z.string().min(8).max(4000) })
    .strict(),
]);
export type TriggerCredentials = z.infer<typeof TriggerCredentials>;

const TriggerFields = {
  name: z.string().min(1).max(100),
  /** A workflow id or slug. */
  workflowId: IdOrSlug,
  rules: TriggerRules,
  inputMapping: InputMapping.optional(),
  enabled: z.boolean().optional(),
  credentials: TriggerCredentials.optional(),
  /** GitHub Enterprise API (`https://ghe.example.com/api/v3`) or the Jira site (`https://acme.atlassian.net`). */
  apiBaseUrl: z.url().max(500).optional(),
};

export const TriggerCreateBody = z
  .object({ ...TriggerFields, source: z.enum(['github', 'jira']) })
  .strict();
export type TriggerCreateBody = z.infer<typeof TriggerCreateBody>;
export const TriggerPatchBody = z
  .object(TriggerFields)
  .partial()
  .extend({ credentials: TriggerCredentials.nullable().optional() })
  .strict();
export type TriggerPatchBody = z.infer<typeof TriggerPatchBody>;

export const Trigger = z.object({
  id: Uuid,
  name: z.string(),
  source: z.enum(['github', 'jira']),
  workflowId: Uuid,
  rules: TriggerRules,
  inputMapping: z.record(z.string(), z.string()),
  enabled: z.boolean(),
  webhookUrl: z.string(),
  /** Last 4 characters of the webhook secret. */
  secretHint: z.string(),
  credentials: z.object({ type: z.enum(['token', 'app', 'basic']), hint: z.string() }).nullable(),
  apiBaseUrl: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Trigger = z.infer<typeof Trigger>;
/** The create response alone carries the webhook secret. */
export const TriggerCreated = Trigger.extend({ secret: z.string() });

/** `answered`/`refused`: a comment that answered an approval, or whose author may not (ADR 161). */
export const DeliveryOutcome = z.enum([
  'started',
  'ignored',
  'duplicate',
  'rejected',
  'answered',
  'refused',
]);
export const Delivery = z.object({
  id: Uuid,
  deliveryId: z.string().nullable(),
  event: z.string().nullable(),
  outcome: DeliveryOutcome,
  reason: z.string().nullable(),
  runId: Uuid.nullable(),
  receivedAt: z.string(),
});
export const DeliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** `receivedAt|id` of the last item of the previous page. */
  cursor: z.string().max(200).optional(),
  outcome: DeliveryOutcome.optional(),
});

export const WebhookParams = z.object({ triggerId: Uuid });
export const WebhookAck = z.object({
  outcome: z.enum(['started', 'ignored', 'duplicate', 'answered', 'refused']),
  deliveryId: z.string().nullable(),
  runId: Uuid.optional(),
  reason: z.string().optional(),
});
