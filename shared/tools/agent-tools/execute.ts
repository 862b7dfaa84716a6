/**
 * The executors of the agent tools (catalog.ts). Each one is read-only: re-running it after a
 * retried task is harmless (ADR 130). A tool's failure is its result (`isError`), fed back to the
 * model, never the step's: the model may try again differently or answer without it.
 */
import * as z from 'zod';
import type { TriggerCredentials } from '../../api/contracts/triggers';
import { connectionFor } from '../../automation/connection';
import { InvalidRequest, isAppError } from '../../errors';
import { guardedFetch } from '../../net/outbound';
import type { Platform } from '../../platform/platform';
import { searchKnowledgeBase } from '../../rag/retrieval';
import type { AgentToolName } from './catalog';

/** Characters of a tool's result the model reads; the rest is cut with a note saying so. */
export const MAX_RESULT_CHARS = 12_000;
/** Bytes of an http.get body read at most (the rest is never downloaded). */
const MAX_HTTP_BYTES = 256_000;
const HTTP_TIMEOUT_MS = 15_000;

/** The step a tool runs for: whose data it may read. */
export interface AgentToolContext {
  p: Platform;
  tenantId: string;
  runId: string;
  workflowId: string;
  stepId: string;
  nodeId: string;
  /** The agent's knowledge bases: the only ones knowledge.search reads. */
  knowledgeBaseIds: readonly string[];
}

export interface ToolExecution {
  /** What the model reads: bounded, secrets scrubbed. */
  content: string;
  isError: boolean;
  /** Characters before truncation. */
  size: number;
  truncated: boolean;
  durationMs: number;
  /** A workflow tool's child run and its cost, rolled up into the step (ADR 162). */
  childRunId?: string;
  costUsd?: number;
}

type Executor = (ctx: AgentToolContext, args: Record<string, unknown>) => Promise<ToolOutput>;
/** A tool's raw result and the secrets that must not appear in it (credentials it used). */
interface ToolOutput {
  text: string;
  secrets?: string[];
}

const KnowledgeArgs = z.strictObject({
  query: z.string().min(1).max(4000),
  topK: z.number().int().min(1).max(10).optional(),
});
const HttpArgs = z.strictObject({ url: z.url().max(2000) });
const Repository = z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name');
const DiffArgs = z.strictObject({ repository: Repository, number: z.number().int().positive() });
const FileArgs = z.strictObject({
  repository: Repository,
  path: z.string().min(1).max(1000),
  ref: z.string().min(1).max(250).optional(),
});
const JiraArgs = z.strictObject({
  issue: z.string().regex(/^[A-Z][A-Z0-9_]*-\d+$/, 'an issue key like PROJ-123'),
});

function parse<T extends z.ZodType>(tool: string, schema: T, args: unknown): z.infer<T> {
  const out = schema.safeParse(args);
  if (out.success) return out.data;
  const issue = out.error.issues[0];
  const path = issue.path.join('.') || 'arguments';
  throw new InvalidRequest(`${tool}: ${path}: ${issue.message}`);
}

const EXECUTORS: Record<AgentToolName, Executor> = {
  async 'knowledge.search'(ctx, raw) {
    const args = parse('knowledge.search', KnowledgeArgs, raw);
    if (!ctx.knowledgeBaseIds.length)
      throw new InvalidRequest('knowledge.search: this agent has no knowledge bases attached');
    const scope = { tenantId: ctx.tenantId, runId: ctx.runId, workflowId: ctx.workflowId };
    const topK = args.topK ?? 5;
    const hits = [];
    for (const id of ctx.knowledgeBaseIds) {
      const found = await searchKnowledgeBase(ctx.p, scope, id, {
        query: args.query,
        topK,
        offset: 0,
        mode: 'hybrid',
      });
      hits.push(...found.items.map((h) => ({ ...h, knowledgeBaseId: id })));
    }
    const top = hits.sort((a, b) => b.score - a.score).slice(0, topK);
    if (!top.length) return { text: 'No passage matches the query.' };
    return {
      text: top
        .map(
          (h, i) =>
            `[${i + 1}] ${h.heading || h.title} (document ${h.documentId}, chunk ${h.chunkId})\n${h.text}`,
        )
        .join('\n\n'),
    };
  },

  async 'http.get'(_ctx, raw) {
    const { url } = parse('http.get', HttpArgs, raw);
    if (!/^https?:$/.test(new URL(url).protocol))
      throw new InvalidRequest('http.get: url must be http or https');
    // The guarded client refuses private, loopback and metadata addresses (ADR 052).
    const res = await guardedFetch(url, {
      method: 'GET',
      redirect: 'manual',
      headers: { accept: 'text/*, application/json;q=0.9, */*;q=0.1' },
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    const type = res.headers.get('content-type') ?? '';
    const location = res.headers.get('location');
    const body = /^(text\/|application\/(json|xml|.*\+json|.*\+xml|javascript))/i.test(type)
      ? await readBounded(res, MAX_HTTP_BYTES)
      : `(${type || 'unknown content type'} body not shown)`;
    return {
      text: `HTTP ${res.status}${location ? ` → ${location} (redirects are not followed)` : ''}\ncontent-type: ${type}\n\n${body}`,
    };
  },

  async 'github.get_pull_request_diff'(ctx, raw) {
    const args = parse('github.get_pull_request_diff', DiffArgs, raw);
    const { gh, secrets, call, owner, repo } = await github(ctx, args.repository);
    const { data } = await call(() =>
      gh.rest.pulls.get({ owner, repo, pull_number: args.number, mediaType: { format: 'diff' } }),
    );
    return { text: typeof data === 'string' ? data : JSON.stringify(data), secrets };
  },

  async 'github.get_file'(ctx, raw) {
    const args = parse('github.get_file', FileArgs, raw);
    const { gh, secrets, call, owner, repo } = await github(ctx, args.repository);
    const { data } = await call(() =>
      gh.rest.repos.getContent({
        owner,
        repo,
        path: args.path,
        ...(args.ref ? { ref: args.ref } : {}),
      }),
    );
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data))
      throw new InvalidRequest(`github.get_file: ${args.path} is not a file`);
    return { text: Buffer.from(data.content, 'base64').toString('utf8'), secrets };
  },

  async 'jira.get_issue'(ctx, raw) {
    const { issue } = parse('jira.get_issue', JiraArgs, raw);
    const conn = await triggerConnection(ctx, 'jira');
    if (!conn.apiBaseUrl)
      throw new InvalidRequest(`trigger ${conn.triggerId} has no apiBaseUrl (the Jira site)`);
    const { JiraClient } = await import('../jira/client');
    const jira = new JiraClient(conn.apiBaseUrl, conn.credentials);
    const data = await jira.request<JiraIssue>(
      'GET',
      `/rest/api/2/issue/${encodeURIComponent(issue)}?fields=summary,status,issuetype,assignee,description,comment`,
    );
    const f = data.fields ?? {};
    const comments = (f.comment?.comments ?? []).slice(-5);
    return {
      text: [
        `${data.key}: ${f.summary ?? ''}`,
        `type: ${f.issuetype?.name ?? '?'} · status: ${f.status?.name ?? '?'} · assignee: ${f.assignee?.displayName ?? 'unassigned'}`,
        '',
        f.description ?? '(no description)',
        ...comments.map((c) => `\n— ${c.author?.displayName ?? 'someone'}: ${c.body ?? ''}`),
      ].join('\n'),
      secrets: secretsOf(conn.credentials),
    };
  },
};

interface JiraIssue {
  key: string;
  fields?: {
    summary?: string;
    description?: string | null;
    status?: { name?: string };
    issuetype?: { name?: string };
    assignee?: { displayName?: string } | null;
    comment?: { comments?: Array<{ author?: { displayName?: string }; body?: string }> };
  };
}

/** The run's trigger credentials (ADR 130): the model never chooses whose credentials it uses. */
async function github(ctx: AgentToolContext, repository: string) {
  const conn = await triggerConnection(ctx, 'github');
  // Loaded on first use: the agent step's cold start does not pay for Octokit.
  const { call, repoClient, splitRepository } = await import('../github/client');
  const gh = await repoClient(
    conn.apiBaseUrl ?? ctx.p.config.GITHUB_API_URL,
    conn.credentials,
    repository,
    ctx.p.now(),
  );
  return {
    gh,
    call,
    ...splitRepository(repository),
    secrets: secretsOf(conn.credentials),
  };
}

/** The agent names no trigger (ADR 130): only the run's own trigger's credentials are used. */
async function triggerConnection(ctx: AgentToolContext, source: 'github' | 'jira') {
  const run = {
    tenantId: ctx.tenantId,
    runId: ctx.runId,
    stepId: ctx.stepId,
    nodeId: ctx.nodeId,
    workflowId: ctx.workflowId,
    rerunOf: null,
  };
  try {
    return await connectionFor(ctx.p, run, source);
  } catch (e) {
    if (
      e instanceof InvalidRequest &&
      e.message.startsWith('this run was not started by a trigger')
    )
      throw new InvalidRequest(
        `${source} tools read with the credentials of the trigger that started the run, and this run was not started by a trigger`,
      );
    throw e;
  }
}

function secretsOf(c: TriggerCredentials): string[] {
  if (c.type === 'token') return [c.token];
  if (c.type === 'basic') return [c.apiToken];
  return [c.privateKey];
}

async function readBounded(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= maxBytes) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

/** Cuts `text` to the bound, saying so, and blanks any secret the tool used. */
export function boundResult(
  text: string,
  secrets: readonly string[] = [],
): {
  content: string;
  size: number;
  truncated: boolean;
} {
  let clean = text;
  for (const s of secrets) if (s && s.length >= 6) clean = clean.split(s).join('[redacted]');
  const truncated = clean.length > MAX_RESULT_CHARS;
  return {
    content: truncated
      ? `${clean.slice(0, MAX_RESULT_CHARS)}\n[truncated: ${clean.length - MAX_RESULT_CHARS} more characters]`
      : clean,
    size: clean.length,
    truncated,
  };
}

/** Runs one tool call; a failure (bad arguments, a refused address, a 404) becomes an error result. */
export async function executeAgentTool(
  ctx: AgentToolContext,
  name: AgentToolName,
  args: Record<string, unknown>,
): Promise<ToolExecution> {
  const started = ctx.p.now();
  try {
    const out = await EXECUTORS[name](ctx, args);
    return {
      ...boundResult(out.text, out.secrets),
      isError: false,
      durationMs: ctx.p.now() - started,
    };
  } catch (e) {
    // Named errors carry messages written for users; anything else is not shown to the model.
    const message =
      isAppError(e) || (e instanceof Error && e.name === 'ForbiddenDestination')
        ? `${e.name}: ${e.message}`
        : `${name} failed unexpectedly`;
    if (!isAppError(e)) ctx.p.log.warn('agent tool failed', { tool: name, error: String(e) });
    return {
      ...boundResult(message),
      isError: true,
      durationMs: ctx.p.now() - started,
    };
  }
}
