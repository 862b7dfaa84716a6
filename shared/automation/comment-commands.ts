/**
 * Approval commands in comments (ADR 161): what a delivery is about (its subject), whether it is a
 * new comment, and whether that comment's first line is `/approve [note]` or `/reject [reason]`.
 * Pure functions over the foreign payload; the answering lives in comment-approvals.ts.
 */
import type { Payload, Source } from './rules';

export interface ApprovalCommand {
  approved: boolean;
  /** The rest of the first line: the approval note or the rejection reason. */
  comment?: string;
}

export interface CommentFacts {
  subject: string;
  body: string;
  /** GitHub login or Jira account id of the comment's author. */
  author: string | null;
  /** For the reply: `owner/name` and number on GitHub, the issue key on Jira. */
  repository?: string;
  number?: number;
  issueKey?: string;
}

export const MAX_COMMAND_COMMENT = 500;
const COMMAND = /^\/(approve|reject)(?:\s(.*))?$/i;
const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

/** The command on the comment's first line (trimmed), or undefined for any other comment. */
export function approvalCommand(body: string): ApprovalCommand | undefined {
  const first = body.replace(/^\s+/, '').split(/\r?\n/, 1)[0]?.trim() ?? '';
  const m = COMMAND.exec(first);
  if (!m) return undefined;
  const comment = [...(m[2]?.trim() ?? '')].slice(0, MAX_COMMAND_COMMENT).join('');
  return { approved: m[1].toLowerCase() === 'approve', ...(comment ? { comment } : {}) };
}

/** The pull request or issue (GitHub) or issue key (Jira) a delivery is about, when it has one. */
export function subjectOf(source: Source, payload: Payload): string | undefined {
  if (source === 'jira') {
    const key = payload.issue?.key;
    return typeof key === 'string' && key ? key.toUpperCase() : undefined;
  }
  const repo = payload.repository?.full_name;
  const number = payload.pull_request?.number ?? payload.issue?.number;
  if (typeof repo !== 'string' || !repo || typeof number !== 'number') return undefined;
  return `${repo.toLowerCase()}#${number}`;
}

/** A newly created comment: `issue_comment.created` on GitHub, `comment_created` on Jira. */
export function newComment(
  source: Source,
  event: string,
  payload: Payload,
): CommentFacts | undefined {
  const subject = subjectOf(source, payload);
  if (!subject) return undefined;
  if (source === 'github') {
    if (event !== 'issue_comment.created') return undefined;
    const login = payload.comment?.user?.login;
    return {
      subject,
      body: String(payload.comment?.body ?? ''),
      author: typeof login === 'string' && GITHUB_LOGIN.test(login) ? login : null,
      repository: String(payload.repository.full_name),
      number: Number(payload.issue?.number),
    };
  }
  if (event !== 'comment_created') return undefined;
  const accountId = payload.comment?.author?.accountId;
  return {
    subject,
    body: textOf(payload.comment?.body),
    author: typeof accountId === 'string' && /^[\w:-]{1,128}$/.test(accountId) ? accountId : null,
    issueKey: subject,
  };
}

/** Jira sends wiki text; a rule may forward the v3 document format: its text, paragraph per line. */
function textOf(body: unknown, depth = 0): string {
  if (typeof body === 'string') return body;
  if (!body || typeof body !== 'object' || depth > 20) return '';
  const node = body as { type?: unknown; text?: unknown; content?: unknown };
  if (typeof node.text === 'string') return node.text;
  const parts = Array.isArray(node.content) ? node.content.map((c) => textOf(c, depth + 1)) : [];
  return parts.join(node.type === 'doc' ? '\n' : '');
}
