/**
 * Edge conditions: a small, declarative test on the run's data (`input.…`, `steps.<id>.output…`).
 * Nothing is evaluated as code; `matches` runs on a linear-time matcher, so a condition cannot
 * stall the planner however it was written.
 */
import * as z from 'zod';
import { compilePattern, PatternError, type LinearPattern } from './linear-regex';
import { resolveReference, type TemplateContext } from './template';

const Scalar = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);

export const ConditionPath = z
  .string()
  .min(1)
  .max(300)
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'dotted path such as steps.review.output.verdict');

const Test = z
  .object({
    path: ConditionPath,
    equals: z.unknown().optional(),
    notEquals: z.unknown().optional(),
    in: z.array(Scalar).max(1000).optional(),
    contains: Scalar.optional(),
    matches: z.string().max(1000).optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    exists: z.boolean().optional(),
  })
  .strict();

export type Condition =
  | z.infer<typeof Test>
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    Test,
    z.object({ all: z.array(Condition).min(1).max(50) }).strict(),
    z.object({ any: z.array(Condition).min(1).max(50) }).strict(),
    z.object({ not: Condition }).strict(),
  ]),
);

/** The tests a condition can make of its path, in the order the console offers them. */
export const OPERATORS = [
  'equals',
  'notEquals',
  'in',
  'contains',
  'matches',
  'gt',
  'gte',
  'lt',
  'lte',
  'exists',
] as const;

/** Save-time problems of one condition (each with a path under `base`), beyond its shape. */
export function conditionIssues(
  condition: Condition,
  base: string,
): { path: string; message: string }[] {
  if ('all' in condition)
    return condition.all.flatMap((c, i) => conditionIssues(c, `${base}.all[${i}]`));
  if ('any' in condition)
    return condition.any.flatMap((c, i) => conditionIssues(c, `${base}.any[${i}]`));
  if ('not' in condition) return conditionIssues(condition.not, `${base}.not`);
  const issues: { path: string; message: string }[] = [];
  const used = OPERATORS.filter((op) => condition[op] !== undefined);
  if (used.length !== 1)
    issues.push({
      path: base,
      message: `a condition tests its path with exactly one of ${OPERATORS.join(', ')} (found ${used.length ? used.join(', ') : 'none'})`,
    });
  if (condition.matches !== undefined) {
    try {
      compilePattern(condition.matches);
    } catch (e) {
      if (!(e instanceof PatternError)) throw e;
      issues.push({ path: `${base}.matches`, message: `invalid pattern: ${e.message}` });
    }
  }
  return issues;
}

/** Every path a condition reads, each with where it is written, for checks against the graph. */
export function conditionPaths(
  condition: Condition,
  base: string,
): { path: string; root: string; segments: string[] }[] {
  if ('all' in condition)
    return condition.all.flatMap((c, i) => conditionPaths(c, `${base}.all[${i}]`));
  if ('any' in condition)
    return condition.any.flatMap((c, i) => conditionPaths(c, `${base}.any[${i}]`));
  if ('not' in condition) return conditionPaths(condition.not, `${base}.not`);
  const [root, ...segments] = condition.path.split('.');
  return [{ path: `${base}.path`, root, segments }];
}

const patterns = new Map<string, LinearPattern>();
function pattern(source: string): LinearPattern {
  let compiled = patterns.get(source);
  if (!compiled) {
    compiled = compilePattern(source);
    if (patterns.size > 500) patterns.clear();
    patterns.set(source, compiled);
  }
  return compiled;
}

/**
 * True when the condition holds on the run's data. A missing value fails every test except
 * `exists: false` and `notEquals`; a value of the wrong type fails the test instead of throwing.
 */
export function evaluateCondition(condition: Condition, ctx: TemplateContext): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, ctx));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, ctx));
  if ('not' in condition) return !evaluateCondition(condition.not, ctx);
  const [root, ...path] = condition.path.split('.');
  const value = resolveReference({ root, path }, ctx);
  const present = value !== undefined && value !== null;
  if (condition.exists !== undefined) return present === condition.exists;
  if (condition.notEquals !== undefined) return !sameValue(value, condition.notEquals);
  if (!present) return false;
  if (condition.equals !== undefined) return sameValue(value, condition.equals);
  if (condition.in !== undefined) return condition.in.some((option) => sameValue(value, option));
  if (condition.contains !== undefined) {
    if (typeof value === 'string') return value.includes(String(condition.contains));
    if (Array.isArray(value)) return value.some((item) => sameValue(item, condition.contains));
    return false;
  }
  if (condition.matches !== undefined)
    return typeof value === 'string' && pattern(condition.matches).test(value);
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (Number.isNaN(n)) return false;
  if (condition.gt !== undefined) return n > condition.gt;
  if (condition.gte !== undefined) return n >= condition.gte;
  if (condition.lt !== undefined) return n < condition.lt;
  if (condition.lte !== undefined) return n <= condition.lte;
  return false;
}

/** Structural equality of JSON values; a string output compares equal to the JSON it spells. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b !== 'string') {
    try {
      return sameValue(JSON.parse(a), b);
    } catch {
      return false;
    }
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) =>
        Object.hasOwn(b, k) &&
        sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}
