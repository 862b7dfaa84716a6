/**
 * Does a delivery match a trigger's rules? Every rule given must hold; the first one that does not
 * is the reason recorded on the ignored delivery, worded for the person reading the deliveries list.
 */
import type { TriggerRules } from '../api/contracts/triggers';
import { getPath } from './json-path';

export type Source = 'github' | 'jira';
export type Match = { matched: true } | { matched: false; reason: string };

// biome-ignore lint/suspicious/noExplicitAny: webhook payloads are foreign JSON; every read below goes through String(), Array.isArray or a typeof check
export type Payload = Record<string, any>;

/** `pull_request.opened`, `push`, `jira:issue_created`: what rules and deliveries call an event. */
export function eventName(
  source: Source,
  headerEvent: string | undefined,
  payload: Payload,
): string {
  if (source === 'jira') return String(payload.webhookEvent ?? headerEvent ?? 'unknown');
  const base = headerEvent ?? 'unknown';
  return typeof payload.action === 'string' ? `${base}.${payload.action}` : base;
}

export const RUN_COMMENT_MARKER = 'hishamos:run-comment:';

export function matchRules(
  source: Source,
  event: string,
  payload: Payload,
  rules: TriggerRules,
): Match {
  const base = event.split('.')[0];
  if (!rules.events.some((e) => e === event || e === base))
    return no(`event ${event} is not one of ${rules.events.join(', ')}`);
  // Our own comments must not start the workflow that posted them (a comment loop).
  if (
    source === 'github' &&
    base === 'issue_comment' &&
    String(payload.comment?.body ?? '').includes(RUN_COMMENT_MARKER)
  )
    return no('comment was posted by HishamOS');
  return source === 'github' ? matchGithub(base, payload, rules) : matchJira(payload, rules);
}

function matchGithub(base: string, payload: Payload, rules: TriggerRules): Match {
  const repo = String(payload.repository?.full_name ?? '');
  if (rules.repositories && !rules.repositories.some((r) => r.toLowerCase() === repo.toLowerCase()))
    return no(`repository ${repo || '(none)'} is not one of ${rules.repositories.join(', ')}`);
  if (rules.branches) {
    const branch = branchOf(base, payload);
    if (!branch) return no(`a ${base} event has no branch to match ${rules.branches.join(', ')}`);
    if (!rules.branches.includes(branch))
      return no(`branch ${branch} is not one of ${rules.branches.join(', ')}`);
  }
  if (rules.labels) {
    const labels: string[] = ((payload.pull_request ?? payload.issue)?.labels ?? []).map(
      (l: { name?: string }) => String(l?.name ?? ''),
    );
    if (!rules.labels.some((l) => labels.includes(l)))
      return no(`labels [${labels.join(', ')}] include none of ${rules.labels.join(', ')}`);
  }
  if (rules.draft !== undefined) {
    if (!payload.pull_request) return no(`a ${base} event is not a pull request (draft rule)`);
    if (Boolean(payload.pull_request.draft) !== rules.draft)
      return no(rules.draft ? 'pull request is not a draft' : 'pull request is a draft');
  }
  return matchFields(payload, rules);
}

function matchJira(payload: Payload, rules: TriggerRules): Match {
  const fields = payload.issue?.fields ?? {};
  if (rules.projects) {
    const project = String(fields.project?.key ?? '');
    if (!rules.projects.includes(project))
      return no(`project ${project || '(none)'} is not one of ${rules.projects.join(', ')}`);
  }
  if (rules.issueTypes) {
    const type = String(fields.issuetype?.name ?? '');
    if (!rules.issueTypes.includes(type))
      return no(`issue type ${type || '(none)'} is not one of ${rules.issueTypes.join(', ')}`);
  }
  if (rules.labels) {
    const labels: string[] = Array.isArray(fields.labels) ? fields.labels.map(String) : [];
    if (!rules.labels.some((l) => labels.includes(l)))
      return no(`labels [${labels.join(', ')}] include none of ${rules.labels.join(', ')}`);
  }
  return matchFields(payload, rules);
}

function matchFields(payload: Payload, rules: TriggerRules): Match {
  for (const [path, wanted] of Object.entries(rules.fields ?? {})) {
    const value = getPath(payload, path);
    const values = Array.isArray(value)
      ? value.map(String)
      : value === undefined || value === null
        ? []
        : [String(value)];
    const allowed = Array.isArray(wanted) ? wanted : [wanted];
    if (!values.some((v) => allowed.includes(v)))
      return no(
        `${path} is ${values.length ? values.join(', ') : '(absent)'}, not ${allowed.join(' or ')}`,
      );
  }
  return { matched: true };
}

function branchOf(base: string, payload: Payload): string | undefined {
  if (payload.pull_request) return payload.pull_request.base?.ref;
  if (base === 'push' || base === 'create' || base === 'delete')
    return typeof payload.ref === 'string' ? payload.ref.replace(/^refs\/heads\//, '') : undefined;
  return undefined;
}

const no = (reason: string): Match => ({ matched: false, reason });

/** The pull request a delivery is about and its head commit, for "one review per head SHA". */
export function pullRequestHead(
  payload: Payload,
): { repository: string; number: number; sha: string } | undefined {
  const pr = payload.pull_request;
  if (!pr?.head?.sha || typeof pr.number !== 'number') return undefined;
  return {
    repository: String(payload.repository?.full_name ?? '').toLowerCase(),
    number: pr.number,
    sha: String(pr.head.sha),
  };
}
