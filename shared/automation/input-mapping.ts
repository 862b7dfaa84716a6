/**
 * From a webhook payload to the run input: a default mapping per source (what a review or triage
 * workflow usually needs) overlaid by the trigger's own mapping. `$.path` values are looked up in
 * the payload; anything else is a literal. Missing paths become null, so a template sees "absent".
 */
import type { Source } from './rules';
import { getPath } from './json-path';

const GITHUB_DEFAULTS: Record<string, string> = {
  repository: '$.repository.full_name',
  sender: '$.sender.login',
};
const GITHUB_BY_EVENT: Record<string, Record<string, string>> = {
  pull_request: {
    number: '$.pull_request.number',
    title: '$.pull_request.title',
    body: '$.pull_request.body',
    url: '$.pull_request.html_url',
    diffUrl: '$.pull_request.diff_url',
    headSha: '$.pull_request.head.sha',
    baseBranch: '$.pull_request.base.ref',
    headBranch: '$.pull_request.head.ref',
  },
  issues: {
    number: '$.issue.number',
    title: '$.issue.title',
    body: '$.issue.body',
    url: '$.issue.html_url',
  },
  issue_comment: {
    number: '$.issue.number',
    title: '$.issue.title',
    body: '$.comment.body',
    url: '$.comment.html_url',
  },
  push: { ref: '$.ref', headSha: '$.after', compareUrl: '$.compare' },
};
const JIRA_DEFAULTS: Record<string, string> = {
  issueKey: '$.issue.key',
  summary: '$.issue.fields.summary',
  description: '$.issue.fields.description',
  project: '$.issue.fields.project.key',
  issueType: '$.issue.fields.issuetype.name',
};

export function defaultMapping(source: Source, event: string): Record<string, string> {
  if (source === 'jira') return JIRA_DEFAULTS;
  return { ...GITHUB_DEFAULTS, ...(GITHUB_BY_EVENT[event.split('.')[0]] ?? {}) };
}

export function mapInput(
  source: Source,
  event: string,
  payload: unknown,
  mapping: Record<string, string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { event };
  for (const [name, expr] of Object.entries({ ...defaultMapping(source, event), ...mapping })) {
    out[name] = expr.startsWith('$') ? (getPath(payload, expr) ?? null) : expr;
  }
  return out;
}
