/**
 * The one guard for text that reaches storage. Postgres refuses NUL in text and jsonb, and a lone
 * UTF-16 surrogate cannot be encoded as UTF-8: both are a 400 naming the field here instead of a
 * database error later. Nesting is bounded too (jsonb and recursive validators have limits).
 */
import { ValidationError, type FieldIssue } from '../errors';
import { formatPath } from './error-mapping';

export const MAX_JSON_DEPTH = 64;

/** The first NUL or lone surrogate in `text`, as a reason; undefined when the text can be stored. */
export function unstorable(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return 'contains a NUL character (\\u0000)';
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return 'contains an unpaired UTF-16 surrogate';
    } else if (c >= 0xdc00 && c <= 0xdfff) return 'contains an unpaired UTF-16 surrogate';
  }
  return undefined;
}

/** Replaces NUL and lone surrogates with U+FFFD (for signed payloads that must be taken as sent). */
export function storableText(text: string): string {
  if (unstorable(text) === undefined) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) out += '\uFFFD';
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i] + text[i + 1];
        i++;
      } else out += '\uFFFD';
    } else if (c >= 0xdc00 && c <= 0xdfff) out += '\uFFFD';
    else out += text[i];
  }
  return out;
}

type Where = 'body' | 'query' | 'path';

/**
 * Walks a parsed JSON value (iteratively: a deep document must not exhaust the stack) and throws
 * a ValidationError naming the first field that is too deep or holds text that cannot be stored.
 */
export function assertStorable(value: unknown, where: Where): void {
  const issue = firstIssue(value, where);
  if (issue)
    throw new ValidationError(`invalid ${where}: ${issue.path}: ${issue.message}`, [issue]);
}

function firstIssue(root: unknown, where: Where): FieldIssue | undefined {
  const prefix = where === 'body' ? undefined : where;
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: root, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop() as { value: unknown; path: PropertyKey[] };
    if (typeof value === 'string') {
      const reason = unstorable(value);
      if (reason) return { path: formatPath(path, prefix), message: reason };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_JSON_DEPTH)
      return {
        path: formatPath(path, prefix),
        message: `nested deeper than ${MAX_JSON_DEPTH} levels`,
      };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], path: [...path, i] });
      continue;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      const reason = unstorable(key);
      if (reason) return { path: formatPath(path, prefix), message: `a field name ${reason}` };
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return undefined;
}

/** A copy of a parsed JSON value whose strings (and keys) can be stored; depth is checked apart. */
export function storableJson(root: unknown): unknown {
  if (typeof root === 'string') return storableText(root);
  if (root === null || typeof root !== 'object') return root;
  if (Array.isArray(root)) return root.map(storableJson);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(root as Record<string, unknown>))
    out[storableText(k)] = storableJson(v);
  return out;
}

/** The nesting depth of a parsed JSON value, counted without recursion. */
export function depthOf(root: unknown): number {
  let max = 0;
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  while (stack.length) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (value === null || typeof value !== 'object') continue;
    if (depth + 1 > max) max = depth + 1;
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Object.values(value as Record<string, unknown>))
      stack.push({ value: child, depth: depth + 1 });
  }
  return max;
}
