/**
 * The condition form's model: a condition is either a test (path, operator, value) or a group
 * (all / any / not) of conditions, exactly the shapes of `shared/workflow/condition.ts`.
 */
import { type Condition, OPERATORS } from '../../../shared/workflow/condition';
import { ancestors } from './graph';
import type { LayoutEdge } from './layout';

export type { Condition };

export { OPERATORS };
export type Operator = (typeof OPERATORS)[number];

export const OPERATOR_LABEL: Record<Operator, string> = {
  equals: '=',
  notEquals: '≠',
  in: 'in',
  contains: 'contains',
  matches: 'matches',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  exists: 'exists',
};

export type TestCondition = Extract<Condition, { path: string }>;
export type GroupKind = 'all' | 'any' | 'not';

export function isTest(c: Condition): c is TestCondition {
  return 'path' in c;
}

export function groupKind(c: Condition): GroupKind | null {
  if ('all' in c) return 'all';
  if ('any' in c) return 'any';
  if ('not' in c) return 'not';
  return null;
}

/** The operator a test uses (the first set one; validation reports more than one). */
export function operatorOf(t: TestCondition): Operator {
  return OPERATORS.find((op) => t[op] !== undefined) ?? 'equals';
}

/** A test with one operator and its value, parsed from the form's text for that operator. */
export function makeTest(path: string, op: Operator, text: string): TestCondition {
  return { path, [op]: parseValue(op, text) };
}

/** Numbers for gt/gte/lt/lte, a boolean for exists, a list for in, JSON-ish scalars for equals. */
export function parseValue(op: Operator, text: string): unknown {
  const t = text.trim();
  switch (op) {
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return t === '' || Number.isNaN(Number(t)) ? 0 : Number(t);
    case 'exists':
      return t !== 'false';
    case 'in':
      return t === '' ? [] : t.split(',').map((s) => scalar(s.trim()));
    case 'matches':
      return text;
    case 'contains':
      return text;
    default:
      return scalar(text);
  }
}

/** `true`, `false`, `null` and numbers are JSON values; everything else is the string as typed. */
function scalar(text: string): string | number | boolean | null {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (text.trim() !== '' && /^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text);
  return text;
}

/** The form's text for a test's value (the inverse of parseValue). */
export function valueText(t: TestCondition): string {
  const op = operatorOf(t);
  const v = t[op];
  if (Array.isArray(v)) return v.map((x) => String(x)).join(', ');
  if (typeof v === 'string') return v;
  return v === undefined ? '' : JSON.stringify(v);
}

/** A short human reading of a condition, e.g. `steps.triage.output = "bug"`. */
export function conditionLabel(c: Condition): string {
  if ('all' in c) return c.all.map(wrapped).join(' and ');
  if ('any' in c) return c.any.map(wrapped).join(' or ');
  if ('not' in c) return `not ${wrapped(c.not)}`;
  const op = operatorOf(c);
  const v = c[op];
  if (op === 'exists') return v === false ? `${c.path} missing` : `${c.path} exists`;
  const shown = Array.isArray(v)
    ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]`
    : JSON.stringify(v);
  return `${c.path} ${OPERATOR_LABEL[op]} ${shown}`;
}

function wrapped(c: Condition): string {
  return isTest(c) ? conditionLabel(c) : `(${conditionLabel(c)})`;
}

/**
 * The paths a condition on `from → …` may read: the declared inputs, and the output of `from`
 * and of every step upstream of it (the same scope the API's validator checks).
 */
export function conditionPaths(
  from: string,
  inputNames: readonly string[],
  edges: readonly LayoutEdge[],
): string[] {
  return [
    ...[from, ...ancestors(from, edges)].map((id) => `steps.${id}.output`),
    ...inputNames.filter(Boolean).map((name) => `input.${name}`),
  ];
}

/** A fresh test on the first offered path. */
export function blankTest(paths: readonly string[]): TestCondition {
  return { path: paths[0] ?? 'input.value', equals: '' };
}
