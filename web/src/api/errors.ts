import type { FieldIssue } from './types';

/** An error answer of the API: `{"error":{"code","message","details":[{"path","message"}]}}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: FieldIssue[];

  constructor(status: number, code: string, message: string, details: FieldIssue[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The route does not exist (yet) on this server: the feature is not available. */
  get unavailable(): boolean {
    return this.status === 404 || this.status === 501;
  }
}

export async function errorFromResponse(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const error = (
    body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined
  )?.error;
  const code = typeof error?.code === 'string' ? error.code : `Http${res.status}`;
  const message =
    typeof error?.message === 'string'
      ? error.message
      : res.statusText || `request failed with ${res.status}`;
  const details = Array.isArray(error?.details)
    ? error.details.filter(
        (d): d is FieldIssue => typeof d?.path === 'string' && typeof d?.message === 'string',
      )
    : [];
  return new ApiError(res.status, code, message, details);
}

/** A message fit for a banner, whatever was thrown: what went wrong, in words, not codes. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return humanError(err);
  if (err instanceof Error) return err.message;
  return String(err);
}

function humanError(err: ApiError): string {
  switch (err.code) {
    case 'ValidationError': {
      // The server's generic "invalid <where>: <path>: <zod message>" is rewritten from the
      // details; a message written for people is kept, with its one detail in words.
      const generic = /^invalid (request body|query string|path)\b/.test(err.message);
      if (err.details.length > 1) return `${err.details.length} fields need attention.`;
      const [only] = err.details;
      if (generic) return only ? `${describeIssue(only)}.` : 'The request is not valid.';
      return only ? `${err.message} (${describeIssue(only).toLowerCase()}).` : err.message;
    }
    case 'MalformedJson':
      return 'The request could not be read (malformed JSON).';
    case 'NotFound':
      return `${capitalize(err.message)}: it may have been deleted, or the link is wrong.`;
    case 'Forbidden':
      return `You do not have permission to do this (${err.message}).`;
    case 'RateLimited':
      return `Too many requests right now. ${capitalize(err.message.replace(/^.*; /, ''))}.`;
    case 'InternalError':
      return 'Something went wrong on the server. Try again; if it keeps happening, tell your administrator.';
    default:
      return err.message;
  }
}

/** `{path: "path.id", message: "Invalid UUID"}` → "The id in the address is not a valid id". */
export function describeIssue(issue: FieldIssue): string {
  const text = issueText(issue.message);
  return `${fieldLabel(issue.path)}${text.startsWith(':') ? '' : ' '}${text}`;
}

export function fieldLabel(path: string): string {
  const [where, ...rest] = path.split('.');
  // `query.limit` is a query parameter; a body field may itself be called `query`.
  if (!rest.length) return `The ${words(path)} field`;
  if (where === 'path') return `The ${words(rest.join('.') || 'address')} in the address`;
  if (where === 'query') return `The ${words(rest.join('.') || 'filter')} filter`;
  if (where === 'header') return `The ${rest.join('.')} header`;
  return `The ${words(path)} field`;
}

function issueText(message: string): string {
  const m = message.trim();
  let r: RegExpExecArray | null;
  if (/^Invalid UUID$/i.test(m)) return 'is not a valid id';
  if (/received undefined$/i.test(m) || /^Required$/i.test(m)) return 'is required';
  if (/^Invalid email/i.test(m)) return 'is not a valid email address';
  if (/^Invalid (url|URL)/.test(m)) return 'is not a valid URL';
  if ((r = /^Too small: expected string to have >=?(\d+) characters?$/i.exec(m)))
    return r[1] === '1' ? 'is required' : `needs at least ${r[1]} characters`;
  if ((r = /^Too big: expected string to have <=?(\d+) characters?$/i.exec(m)))
    return `must be at most ${r[1]} characters`;
  if ((r = /^Too small: expected array to have >=?(\d+) items?$/i.exec(m)))
    return `needs at least ${r[1]} item${r[1] === '1' ? '' : 's'}`;
  if ((r = /^Too big: expected array to have <=?(\d+) items?$/i.exec(m)))
    return `can have at most ${r[1]} items`;
  if ((r = /^Too small: expected number to be >=?(\S+)$/i.exec(m)))
    return `must be at least ${r[1]}`;
  if ((r = /^Too big: expected number to be <=?(\S+)$/i.exec(m))) return `must be at most ${r[1]}`;
  if ((r = /^Invalid input: expected (\w+), received (\w+)$/i.exec(m)))
    return `must be ${article(r[1])} ${r[1]}, not ${article(r[2])} ${r[2]}`;
  if ((r = /^Invalid option: expected one of (.+)$/i.exec(m)))
    return `must be one of ${r[1].replace(/\|/g, ', ')}`;
  return `: ${m.charAt(0).toLowerCase()}${m.slice(1)}`;
}

/** `nodes[2].agentId` → "agent id of node 3"; `maxTokens` → "max tokens". */
function words(path: string): string {
  const parts = path.split('.').map((p) => {
    const indexed = /^(\w+)\[(\d+)\]$/.exec(p);
    const name = (indexed ? indexed[1] : p).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    return indexed ? `${name.replace(/s$/, '')} ${Number(indexed[2]) + 1}` : name;
  });
  return parts.reverse().join(' of ');
}

const article = (w: string) => (/^[aeiou]/i.test(w) ? 'an' : 'a');
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
