/**
 * Configuration is read from the environment once, at init, and parsed with zod: a Lambda with a
 * missing or malformed variable fails at cold start with the variable named, not mid-request.
 * These names are the contract between infra/aws (which sets them) and the code (which reads them).
 */
import * as z from 'zod';

const Bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Per-tenant secrets live under this name prefix; the CDK grants access to exactly it. */
export const DEFAULT_TENANT_SECRETS_PREFIX = 'hishamos/tenants/';

export const ConfigSchema = z.object({
  /** `pglite` (embedded, local default), `pg` (DATABASE_URL) or `data-api` (Aurora, in AWS). */
  HISHAMOS_DB_DRIVER: z.enum(['pglite', 'pg', 'data-api']).default('pglite'),
  DATABASE_URL: z.string().startsWith('postgres').optional(),
  DB_CLUSTER_ARN: z.string().optional(),
  DB_SECRET_ARN: z.string().optional(),
  /** Migrate function only: the app user's secret, whose password it sets on the login role. */
  DB_APP_SECRET_ARN: z.string().optional(),
  DB_NAME: z.string().default('hishamos'),
  /** DynamoDB table for idempotency keys, rate limits and breakers. */
  TABLE_NAME: z.string().default('hishamos'),
  DOCUMENTS_BUCKET: z.string().default('hishamos-documents'),
  ARTIFACTS_BUCKET: z.string().default('hishamos-artifacts'),
  /**
   * A step's prompt, output or tool turns above this many bytes (serialized) go to the artifacts
   * bucket with a pointer in the row (ADR 105): Data API rows are at most 64 KB.
   */
  STEP_PAYLOAD_INLINE_MAX_BYTES: z.coerce.number().int().min(1024).max(48_000).default(32_768),
  /** S3 bucket (Object Lock, compliance mode) for signed audit chain heads. */
  AUDIT_ANCHOR_BUCKET: z.string().default('hishamos-audit-anchors'),
  /** Secret store id of the HMAC key that signs audit anchors. */
  AUDIT_ANCHOR_KEY_ID: z.string().default('hishamos/audit-anchor-key'),
  /** Secrets Manager id of the JWT signing key. */
  JWT_SECRET_ID: z.string().default('hishamos/jwt-signing-key'),
  /** Prefix of per-tenant secrets (provider keys, GitHub/Jira credentials, webhook secrets). */
  TENANT_SECRETS_PREFIX: z.string().default(DEFAULT_TENANT_SECRETS_PREFIX),
  RUN_WORKFLOW_STATE_MACHINE_ARN: z.string().optional(),
  INGEST_DOCUMENT_STATE_MACHINE_ARN: z.string().optional(),
  RUN_BATCH_STATE_MACHINE_ARN: z.string().optional(),
  /** EventBridge Scheduler wiring of user schedules (ADR 121): the group, the firing function, the role it invokes with, the DLQ. */
  SCHEDULE_GROUP: z.string().optional(),
  SCHEDULE_TARGET_ARN: z.string().optional(),
  SCHEDULE_ROLE_ARN: z.string().optional(),
  SCHEDULE_DLQ_ARN: z.string().optional(),
  /** Base URL of the console, used in links posted back to GitHub/Jira. */
  PUBLIC_URL: z.string().url().optional(),
  /** GitHub REST API base for tool steps and reconciliation (GitHub Enterprise: https://host/api/v3); a trigger may override it. */
  GITHUB_API_URL: z.string().url().default('https://api.github.com'),
  /** Public base URL of the HTTP API, for the webhook URLs shown on triggers; else taken from the request host. */
  API_PUBLIC_URL: z.string().url().optional(),
  /** Accept `http://` OpenID issuers (local runtime and tests only; in AWS issuers are https). */
  SSO_ALLOW_HTTP_ISSUER: Bool.default(false),
  /** Allow `POST /v1/auth/signup` to create new tenants. */
  SIGNUP_ENABLED: Bool.default(true),
  /** Requests per minute per credential (user or API key), per tenant, and per IP on sign-in routes. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  TENANT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(3000),
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /**
   * May the offline simulator answer for a provider without a key (and for `simulator:` models)?
   * On by default locally; the CDK app sets it on every Lambda, `true` only with the deploy-time
   * opt-in `-c allowSimulator=true`. Off: such a step fails with ProviderNotConfigured.
   */
  SIMULATOR_ALLOWED: Bool.default(true),
  /** Added latency of the local simulator, so parallel branches visibly overlap. */
  SIMULATOR_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(120),
  /** Per-provider circuit breaker: failures within the window that open it, and how long it stays open. */
  LLM_BREAKER_THRESHOLD: z.coerce.number().int().min(1).default(5),
  LLM_BREAKER_WINDOW_MS: z.coerce.number().int().min(1).default(60_000),
  LLM_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(1).default(30_000),
  LLM_BREAKER_PROBE_TIMEOUT_MS: z.coerce.number().int().min(1).default(120_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  OPENAI_API_KEY: z.string().optional(),
  ANTHROPIC_API_KEY: z.string().optional(),
  GEMINI_API_KEY: z.string().optional(),
  COMPATIBLE_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  ANTHROPIC_BASE_URL: z.string().url().optional(),
  GEMINI_BASE_URL: z.string().url().optional(),
  COMPATIBLE_BASE_URL: z.string().url().optional(),
  AWS_REGION: z.string().default('us-east-1'),
  /** Outbound calls to user-supplied URLs may reach loopback (the local runtime's models and fakes). */
  OUTBOUND_ALLOW_LOOPBACK: Bool.default(false),
  /** Comma-separated host names, addresses or CIDR networks outbound calls may reach (self-hosted models). */
  OUTBOUND_ALLOW: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** Hosted rerank APIs (ADR 038); base URLs for proxies and tests. */
  COHERE_API_KEY: z.string().optional(),
  VOYAGE_API_KEY: z.string().optional(),
  JINA_API_KEY: z.string().optional(),
  COHERE_BASE_URL: z.string().url().optional(),
  VOYAGE_BASE_URL: z.string().url().optional(),
  JINA_BASE_URL: z.string().url().optional(),
  /** The local-semantic embedder's word vectors; default: beside the code (ADR 037). */
  WORD_VECTORS_PATH: z.string().optional(),
  /** Run streams (SSE): how often the database is read for new events, and the idle heartbeat. */
  STREAM_POLL_MS: z.coerce.number().int().min(10).max(10_000).default(250),
  STREAM_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(15_000),
  /** `emf` in Lambda (CloudWatch Embedded Metric Format on stdout); `prometheus` locally. */
  METRICS_FORMAT: z.enum(['emf', 'prometheus']).default('prometheus'),
  /** OpenTelemetry: traces go to `<endpoint>/v1/traces` (OTLP/HTTP) when set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /** How long an MCP tool call waits for its run before answering with the run id (API limit 29 s). */
  MCP_WAIT_MS: z.coerce.number().int().min(0).max(25_000).default(20_000),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "unset" (a blank `OPENAI_API_KEY=` line must not count as a key).
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}

let cached: Config | undefined;
/** The process configuration, parsed on first use. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
