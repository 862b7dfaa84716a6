/**
 * Answers waiting approvals from a `/approve` or `/reject` comment (ADR 161): find this tenant's
 * runs that this trigger started for the comment's pull request or issue (and their re-runs) with
 * a WAITING approval step, verify the author through the provider's API with the trigger's own
 * credentials, then answer through the same decideApproval the API uses, as `github:<login>` or
 * `jira:<accountId>`. A reply comment says what happened; its failure never fails the delivery.
 */
import { sql } from 'drizzle-orm';
import type { AuthContext } from '../auth/context';
import { rowsOf } from '../db/client';
import type { triggers } from '../db/schema-automation';
import { Conflict, NotFound, ProviderThrottled, ProviderUnavailable } from '../errors';
import type { Platform } from '../platform/platform';
import { decideApproval } from '../runs/decide-approval';
import { call, repoClient, splitRepository } from '../tools/github/client';
import { JiraClient } from '../tools/jira/client';
import type { ApprovalCommand, CommentFacts } from './comment-commands';
import { RUN_COMMENT_MARKER, type Source } from './rules';
import { triggerCredentials } from './secrets';

export interface CommentAnswer {
  outcome: 'answered' | 'refused' | 'ignored';
  runId?: string;
  reason: string;
}

interface Waiting {
  runId: string;
  stepId: string;
  nodeId: string;
}

/** Runs one comment may answer at most (several heads of one PR may each wait). */
const MAX_RUNS = 20;
/** GitHub roles that may approve: the REST `permission` folds maintain into write. */
const GITHUB_ROLES = new Set(['admin', 'maintain', 'write']);
/** The Jira project permission an author needs on the issue: moving it along the workflow. */
export const JIRA_PERMISSION = 'TRANSITION_ISSUES';

export async function answerFromComment(
  p: Platform,
  ctx: {
    tenantId: string;
    trigger: typeof triggers.$inferSelect;
    source: Source;
    comment: CommentFacts;
    command: ApprovalCommand;
  },
): Promise<CommentAnswer> {
  const { tenantId, trigger, source, comment, command } = ctx;
  const verb = command.approved ? '/approve' : '/reject';
  const waiting = await waitingApprovals(p, tenantId, trigger.id, comment.subject);
  if (!waiting.length)
    return {
      outcome: 'ignored',
      reason: `${verb}: no run of this trigger for ${comment.subject} waits for an approval`,
    };
  const firstRun = waiting[0].runId;
  if (!comment.author)
    return { outcome: 'refused', runId: firstRun, reason: `${verb}: the comment has no author` };
  const actor = `${source}:${comment.author}`;
  const allowed = await mayApprove(p, ctx);
  if (!allowed.ok) {
    await reply(p, ctx, `${actor} may not answer this approval: ${allowed.reason}.`);
    return {
      outcome: 'refused',
      runId: firstRun,
      reason: `${verb} by ${actor}: ${allowed.reason}`,
    };
  }

  const auth: AuthContext = { tenantId, userId: null, role: 'dev', via: 'token', actor };
  const answered: Waiting[] = [];
  for (const w of waiting) {
    try {
      await decideApproval(p, auth, w.runId, w.stepId, command.approved, command.comment);
      answered.push(w);
    } catch (error) {
      // Answered meanwhile (the console, another comment): nothing left to answer on this run.
      if (!(error instanceof Conflict || error instanceof NotFound)) throw error;
    }
  }
  if (!answered.length)
    return { outcome: 'ignored', runId: firstRun, reason: `${verb}: already answered` };
  const what = answered.map((w) => `${w.nodeId} of run ${w.runId}`).join(', ');
  const done = command.approved ? 'approved' : 'rejected';
  await reply(
    p,
    ctx,
    `${done[0].toUpperCase()}${done.slice(1)} by ${actor}: ${what}${command.comment ? ` (${command.comment})` : ''}.`,
  );
  return { outcome: 'answered', runId: answered[0].runId, reason: `${done} by ${actor}: ${what}` };
}

/** WAITING approval steps of the runs this trigger started for the subject, and of their re-runs. */
async function waitingApprovals(
  p: Platform,
  tenantId: string,
  triggerId: string,
  subject: string,
): Promise<Waiting[]> {
  const rows = rowsOf<{ run_id: string; step_id: string; node_id: string }>(
    await p.db.withTenant({ tenantId }, (tx) =>
      tx.execute(sql`
        with recursive started(run_id) as (
          select d.run_id from webhook_deliveries d
           where d.tenant_id = ${tenantId}::uuid and d.trigger_id = ${triggerId}::uuid
             and d.subject = ${subject} and d.outcome = 'started' and d.run_id is not null
          union
          select r.id from runs r join started s on r.rerun_of = s.run_id
           where r.tenant_id = ${tenantId}::uuid
        )
        select r.id as run_id, s.id as step_id, s.node_id
          from runs r join run_steps s on s.run_id = r.id
         where r.tenant_id = ${tenantId}::uuid and r.id in (select run_id from started)
           and r.status = 'WAITING' and s.status = 'WAITING' and s.type = 'approval'
         order by r.started_at, r.id, s.node_id`),
    ),
  );
  const byRun = new Map<string, Waiting>();
  for (const r of rows)
    if (!byRun.has(r.run_id) && byRun.size < MAX_RUNS)
      byRun.set(r.run_id, { runId: r.run_id, stepId: r.step_id, nodeId: r.node_id });
  return [...byRun.values()];
}

type Verdict = { ok: true } | { ok: false; reason: string };

/** Asks GitHub or Jira whether the author may act; a retryable failure fails the delivery. */
async function mayApprove(
  p: Platform,
  ctx: {
    tenantId: string;
    trigger: { id: string; apiBaseUrl: string | null };
    source: Source;
    comment: CommentFacts;
  },
): Promise<Verdict> {
  const credentials = await triggerCredentials(p, ctx.tenantId, ctx.trigger.id);
  if (!credentials)
    return { ok: false, reason: 'the trigger has no credentials to verify the commenter with' };
  const author = ctx.comment.author ?? '';
  try {
    if (ctx.source === 'github') {
      const repository = ctx.comment.repository ?? '';
      const gh = await repoClient(
        ctx.trigger.apiBaseUrl ?? p.config.GITHUB_API_URL,
        credentials,
        repository,
        p.now(),
      );
      const { data } = await call(() =>
        gh.rest.repos.getCollaboratorPermissionLevel({
          ...splitRepository(repository),
          username: author,
        }),
      );
      const role = data.role_name ?? data.permission;
      return GITHUB_ROLES.has(role) || GITHUB_ROLES.has(data.permission)
        ? { ok: true }
        : { ok: false, reason: `needs write access to ${repository}, has ${role}` };
    }
    if (!ctx.trigger.apiBaseUrl)
      return { ok: false, reason: 'the trigger has no apiBaseUrl (the Jira site)' };
    const jira = new JiraClient(ctx.trigger.apiBaseUrl, credentials);
    const query = new URLSearchParams({
      permissions: JIRA_PERMISSION,
      issueKey: ctx.comment.issueKey ?? '',
      accountId: author,
    });
    const users = await jira.request<{ accountId?: string }[]>(
      'GET',
      `/rest/api/2/user/permission/search?${query}`,
    );
    return Array.isArray(users) && users.some((u) => u.accountId === author)
      ? { ok: true }
      : { ok: false, reason: `needs ${JIRA_PERMISSION} on ${ctx.comment.issueKey}` };
  } catch (error) {
    // Throttled or down: fail the delivery, so a redelivery (or reconciliation) asks again.
    if (error instanceof ProviderThrottled || error instanceof ProviderUnavailable) throw error;
    if (error instanceof NotFound && ctx.source === 'github')
      return { ok: false, reason: `not a collaborator of ${ctx.comment.repository}` };
    return { ok: false, reason: `could not verify the commenter: ${(error as Error).message}` };
  }
}

/** Best effort: the answer stands whether or not the reply is posted. */
async function reply(
  p: Platform,
  ctx: {
    tenantId: string;
    trigger: { id: string; apiBaseUrl: string | null };
    source: Source;
    comment: CommentFacts;
  },
  text: string,
): Promise<void> {
  try {
    const credentials = await triggerCredentials(p, ctx.tenantId, ctx.trigger.id);
    if (!credentials) return;
    if (ctx.source === 'github' && ctx.comment.repository && ctx.comment.number) {
      const gh = await repoClient(
        ctx.trigger.apiBaseUrl ?? p.config.GITHUB_API_URL,
        credentials,
        ctx.comment.repository,
        p.now(),
      );
      // The marker keeps our reply from being taken for a command or starting a run.
      const body = `${text}\n\n<!-- ${RUN_COMMENT_MARKER}approval -->`;
      await call(() =>
        gh.rest.issues.createComment({
          ...splitRepository(ctx.comment.repository ?? ''),
          issue_number: ctx.comment.number ?? 0,
          body,
        }),
      );
    } else if (ctx.source === 'jira' && ctx.trigger.apiBaseUrl && ctx.comment.issueKey) {
      await new JiraClient(ctx.trigger.apiBaseUrl, credentials).request(
        'POST',
        `/rest/api/2/issue/${encodeURIComponent(ctx.comment.issueKey)}/comment`,
        { body: text },
      );
    }
  } catch (error) {
    p.log.warn('could not reply to an approval comment', { triggerId: ctx.trigger.id, error });
  }
}
