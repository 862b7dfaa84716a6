/**
 * `jira.comment` and `jira.transition`. Comments carry a marker line per workflow node so a re-run
 * updates its comment; a transition to the status the issue is already in succeeds as a no-op.
 */
import * as z from 'zod';
import {
  commentMarker,
  connectionFor,
  formatCost,
  runFacts,
  toolEnv,
} from '../../automation/connection';
import { InvalidRequest, ValidationError } from '../../errors';
import { fromZod } from '../../http/error-mapping';
import { registerTool, type ToolContext } from '../registry';
import { JiraClient } from './client';

const IssueKey = z.string().regex(/^[A-Z][A-Z0-9_]*-\d+$|^\d+$/, 'an issue key like PROJ-123');
const CommentArgs = z.object({
  issue: IssueKey,
  body: z.string().min(1).max(30_000),
  trigger: z.uuid().optional(),
});
const TransitionArgs = z.object({
  issue: IssueKey,
  transition: z.string().min(1).max(100),
  trigger: z.uuid().optional(),
});

function parseArgs<T extends z.ZodType>(tool: string, schema: T, args: unknown): z.infer<T> {
  const out = schema.safeParse(args);
  if (!out.success) {
    const e = fromZod(out.error, 'body');
    throw new ValidationError(
      `${tool}: invalid with: ${e.message.replace(/^invalid request body: /, '')}`,
      e.details,
    );
  }
  return out.data;
}

async function clientFor(ctx: ToolContext, trigger?: string) {
  const { p, run } = toolEnv(ctx);
  const conn = await connectionFor(p, run, 'jira', trigger);
  if (!conn.apiBaseUrl)
    throw new InvalidRequest(
      `trigger ${conn.triggerId} has no apiBaseUrl (the Jira site, e.g. https://acme.atlassian.net)`,
    );
  return { p, run, jira: new JiraClient(conn.apiBaseUrl, conn.credentials) };
}

const issuePath = (key: string) => `/rest/api/2/issue/${encodeURIComponent(key)}`;

registerTool({
  name: 'jira.comment',
  description: 'Comment on a Jira issue (one comment per workflow node, updated on re-runs)',
  async run(ctx) {
    const args = parseArgs('jira.comment', CommentArgs, ctx.args);
    const { p, run, jira } = await clientFor(ctx, args.trigger);
    const facts = await runFacts(p, run);
    const marker = `[${commentMarker(facts.workflowSlug, run.nodeId)}]`;
    const link = facts.url
      ? `[run ${run.runId.slice(0, 8)}|${facts.url}]`
      : `run ${run.runId.slice(0, 8)}`;
    const body = `${args.body}\n\n----\n{color:#6b778c}HishamOS · ${facts.workflowSlug} · ${link} · cost ${formatCost(facts.costUsd)} · ${marker}{color}`;
    const { comments } = await jira.request<{ comments: { id: string; body: string }[] }>(
      'GET',
      `${issuePath(args.issue)}/comment?maxResults=100&orderBy=-created`,
    );
    const mine = comments.find((c) => typeof c.body === 'string' && c.body.includes(marker));
    if (mine) {
      const updated = await jira.request<{ id: string }>(
        'PUT',
        `${issuePath(args.issue)}/comment/${mine.id}`,
        { body },
      );
      return { commentId: updated.id, action: 'updated' };
    }
    const created = await jira.request<{ id: string }>('POST', `${issuePath(args.issue)}/comment`, {
      body,
    });
    return { commentId: created.id, action: 'created' };
  },
});

registerTool({
  name: 'jira.transition',
  description:
    'Move a Jira issue through a workflow transition (by transition name, id, or target status)',
  async run(ctx) {
    const args = parseArgs('jira.transition', TransitionArgs, ctx.args);
    const { jira } = await clientFor(ctx, args.trigger);
    const wanted = args.transition.toLowerCase();
    const { transitions } = await jira.request<{
      transitions: { id: string; name: string; to?: { name?: string } }[];
    }>('GET', `${issuePath(args.issue)}/transitions`);
    const t = transitions.find(
      (x) =>
        x.id === args.transition ||
        x.name.toLowerCase() === wanted ||
        x.to?.name?.toLowerCase() === wanted,
    );
    if (!t) {
      // Already there (e.g. a re-run after the transition happened): success, nothing to do.
      const issue = await jira.request<{ fields?: { status?: { name?: string } } }>(
        'GET',
        `${issuePath(args.issue)}?fields=status`,
      );
      const status = issue.fields?.status?.name ?? '';
      if (status.toLowerCase() === wanted)
        return { issue: args.issue, status, action: 'unchanged' };
      throw new InvalidRequest(
        `jira.transition: "${args.transition}" is not available for ${args.issue} (status ${status || 'unknown'}); available: ${transitions.map((x) => x.name).join(', ') || 'none'}`,
      );
    }
    await jira.request('POST', `${issuePath(args.issue)}/transitions`, {
      transition: { id: t.id },
    });
    return {
      issue: args.issue,
      transition: t.name,
      status: t.to?.name ?? null,
      action: 'transitioned',
    };
  },
});
