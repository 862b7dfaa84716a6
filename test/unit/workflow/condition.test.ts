import { Condition, conditionIssues, evaluateCondition } from '../../../shared/workflow/condition';
import { compilePattern, PatternError } from '../../../shared/workflow/linear-regex';

const ctx = {
  input: { kind: 'bug', size: 12, tags: ['a', 'b'], nested: { deep: true } },
  steps: {
    review: { output: '{"verdict":"APPROVE","score":7}' },
    triage: { output: 'question' },
    files: { output: { files: ['x.ts', 'y.md'] }, iterations: [] },
  },
};

describe('evaluateCondition', () => {
  it.each<[string, Condition, boolean]>([
    [
      'equals on a JSON text output',
      { path: 'steps.review.output.verdict', equals: 'APPROVE' },
      true,
    ],
    ['equals on a plain output', { path: 'steps.triage.output', equals: 'bug' }, false],
    ['notEquals', { path: 'steps.triage.output', notEquals: 'bug' }, true],
    ['notEquals on a missing value', { path: 'input.none', notEquals: 'x' }, true],
    ['in', { path: 'input.kind', in: ['bug', 'feature'] }, true],
    ['contains on an array', { path: 'input.tags', contains: 'b' }, true],
    ['contains on a string', { path: 'steps.triage.output', contains: 'uest' }, true],
    [
      'contains on an object reached through an output',
      { path: 'steps.files.output.files', contains: 'y.md' },
      true,
    ],
    ['matches', { path: 'steps.triage.output', matches: '^q[a-z]+n$' }, true],
    ['matches fails', { path: 'input.kind', matches: '^feat' }, false],
    ['gt on a number inside JSON', { path: 'steps.review.output.score', gt: 6 }, true],
    ['gte', { path: 'input.size', gte: 12 }, true],
    ['lt', { path: 'input.size', lt: 12 }, false],
    ['lte', { path: 'input.size', lte: 12 }, true],
    ['gt on a non-number is false', { path: 'input.kind', gt: 1 }, false],
    ['exists', { path: 'input.nested.deep', exists: true }, true],
    ['exists false on a missing value', { path: 'steps.nope.output', exists: false }, true],
    ['equals on a missing value is false', { path: 'input.missing', equals: null }, false],
    [
      'all',
      {
        all: [
          { path: 'input.kind', equals: 'bug' },
          { path: 'input.size', gt: 100 },
        ],
      },
      false,
    ],
    [
      'any',
      {
        any: [
          { path: 'input.kind', equals: 'x' },
          { path: 'input.size', gt: 10 },
        ],
      },
      true,
    ],
    ['not', { not: { path: 'input.kind', equals: 'bug' } }, false],
    ['no prototype reach', { path: 'input.constructor', exists: true }, false],
  ])('%s', (_name, condition, expected) => {
    expect(evaluateCondition(condition, ctx)).toBe(expected);
  });

  it('reports a test with two operators, or none, and an invalid pattern, with paths', () => {
    const issues = conditionIssues(
      {
        all: [
          { path: 'input.a', equals: 1, gt: 2 },
          { path: 'input.b' },
          { path: 'input.c', matches: '(a' },
        ],
      },
      'edges[0].if',
    );

    expect(issues.map((i) => i.path)).toEqual([
      'edges[0].if.all[0]',
      'edges[0].if.all[1]',
      'edges[0].if.all[2].matches',
    ]);
  });

  it('rejects unknown keys in a test', () => {
    expect(Condition.safeParse({ path: 'input.a', equal: 1 }).success).toBe(false);
    expect(Condition.safeParse({ path: 'input.a', equals: 1 }).success).toBe(true);
  });
});

describe('linear-time matcher', () => {
  it.each([
    ['abc', 'xxabcxx', true],
    ['^abc$', 'abc', true],
    ['^abc$', 'abcd', false],
    ['a|b', 'zzb', true],
    ['colou?r', 'color', true],
    ['[a-c]+\\d{2,3}$', 'zzcab123', true],
    ['[^0-9]', '123', false],
    ['(?:ab)*c', 'ababc', true],
    ['^\\w+@\\w+\\.com$', 'me@site.com', true],
    ['x{2}', 'xy', false],
    ['\\.', 'a.b', true],
    ['^$', '', true],
  ])('%s on %s is %s', (pattern, text, expected) => {
    expect(compilePattern(pattern).test(text)).toBe(expected);
  });

  it('refuses backreferences and lookaround, which have no linear-time algorithm', () => {
    expect(() => compilePattern('(a)\\1')).toThrow(PatternError);
    expect(() => compilePattern('a(?=b)')).toThrow(PatternError);
  });

  it('answers a catastrophic-backtracking pattern on a long input without backtracking', () => {
    // (a+)+$ on "aaaa…b" takes exponential steps in a backtracking engine; here it is one pass.
    const text = `${'a'.repeat(50_000)}b`;
    expect(compilePattern('^(a+)+$').test(text)).toBe(false);
    expect(compilePattern('(a|aa)*c').test(text)).toBe(false);
  });
});
