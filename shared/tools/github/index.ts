/**
 * `github.comment` and `github.status`: a workflow's verdict back on the pull request or issue.
 * A run comment carries a hidden marker per workflow node, so a re-run (or an ASL retry after a
 * GitHub 5xx that had in fact created the comment) updates the same comment instead of adding one.
 */
import * as z from 'zod';
import {
  commentMarker,
  connectionFor,
  formatCost,
  runFacts,
  toolEnv,
} from '../../automation/connection';
import { ValidationError } from '../../errors';
import { fromZod } from '../../http/error-mapping';
import { registerTool, type ToolContext } from '../registry';
import { call, repoClient, splitRepository } from './client';

const Repository = z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name');
const CommentArgs = z.object({
  repository: Repository,
  number: z.coerce.number().int().positive(),
  body: z.string().min(1).max(60_000),
  trigger: z.uuid().optional(),
});
const StatusArgs = z.object({
  repository: Repository,
  sha: z.string().regex(/^[0-9a-f]{7,64}$/i, 'a commit SHA'),
  state: z.enum(['pending', 'success', 'failure', 'error']),
  description: z.string().max(140).optional(),
  /** Defaults to `hishamos/<workflow>`. */
  context: z.string().min(1).max(100).optional(),
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

async function clientFor(ctx: ToolContext, repository: string, trigger?: string) {
  const { p, run } = toolEnv(ctx);
  const conn = await connectionFor(p, run, 'github', trigger);
  const gh = await repoClient(
    conn.apiBaseUrl ?? p.config.GITHUB_API_URL,
    conn.credentials,
    repository,
    p.now(),
  );
  return { p, run, gh };
}

registerTool({
  name: 'github.comment',
  description:
    'Comment on a pull request or issue (one comment per workflow node, updated on re-runs)',
  async run(ctx) {
    const args = parseArgs('github.comment', CommentArgs, ctx.args);
    const { owner, repo } = splitRepository(args.repository);
    const { p, run, gh } = await clientFor(ctx, args.repository, args.trigger);
    const facts = await runFacts(p, run);
    const marker = `<!-- ${commentMarker(facts.workflowSlug, run.nodeId)} -->`;
    const footer = `<sub>HishamOS · ${facts.workflowSlug} · ${facts.url ? `[run ${run.runId.slice(0, 8)}](${facts.url})` : `run ${run.runId.slice(0, 8)}`} · cost ${formatCost(facts.costUsd)}</sub>`;
    const body = `${marker}\n${args.body}\n\n---\n${footer}`;
    const existing = await call(() =>
      gh.paginate(gh.rest.issues.listComments, {
        owner,
        repo,
        issue_number: args.number,
        per_page: 100,
      }),
    );
    const mine = existing.find((c) => c.body?.includes(marker));
    if (mine) {
      const { data } = await call(() =>
        gh.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body }),
      );
      return { commentId: data.id, url: data.html_url, action: 'updated' };
    }
    const { data } = await call(() =>
      gh.rest.issues.createComment({ owner, repo, issue_number: args.number, body }),
    );
    return { commentId: data.id, url: data.html_url, action: 'created' };
  },
});

registerTool({
  name: 'github.status',
  description: 'Set a commit status on a SHA (e.g. the pull request head), linking to the run',
  async run(ctx) {
    const args = parseArgs('github.status', StatusArgs, ctx.args);
    const { owner, repo } = splitRepository(args.repository);
    const { p, run, gh } = await clientFor(ctx, args.repository, args.trigger);
    const facts = await runFacts(p, run);
    const context = args.context ?? `hishamos/${facts.workflowSlug}`;
    const { data } = await call(() =>
      gh.rest.repos.createCommitStatus({
        owner,
        repo,
        sha: args.sha,
        state: args.state,
        context,
        description: (
          args.description ?? `${args.state} · cost ${formatCost(facts.costUsd)}`
        ).slice(0, 140),
        ...(facts.url ? { target_url: facts.url } : {}),
      }),
    );
    return { statusId: data.id, state: data.state, context };
  },
});
