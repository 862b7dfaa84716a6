/**
 * Prompt and tool-argument templates. A template is plain text with `{{ ... }}`
 * placeholders that name a value by a dotted path; nothing inside the braces is
 * ever evaluated, so a template cannot run code however it was written.
 */

export interface TemplateRef {
  /** The placeholder exactly as written, braces included. */
  raw: string;
  /** First segment of the dotted path: `input`, `steps` or anything else (which validation reports). */
  root: string;
  /** Remaining segments, e.g. `['review', 'output', 'verdict']` for `{{steps.review.output.verdict}}`. */
  path: string[];
  /** Offset of `raw` in the template, so editors can point at it. */
  index: number;
}

export interface TemplateContext {
  input: Record<string, unknown>;
  /** Each step's latest output and, in a loop, the outputs of its earlier iterations (oldest first). */
  steps: Record<string, { output: unknown; iterations?: unknown[] }>;
}

interface Placeholder {
  raw: string;
  expression: string;
  index: number;
}

/**
 * `{{ expression }}` with no brace inside, found by a single left-to-right scan: linear in the
 * template's length however it was written (the backtracking expression it replaces was cubic).
 */
function* placeholders(template: string): Generator<Placeholder> {
  let from = 0;
  for (;;) {
    const open = template.indexOf('{{', from);
    if (open === -1) return;
    let end = open + 2;
    while (end < template.length && template[end] !== '{' && template[end] !== '}') end++;
    if (template.startsWith('}}', end)) {
      const raw = template.slice(open, end + 2);
      yield { raw, expression: template.slice(open + 2, end).trim(), index: open };
      from = end + 2;
    } else {
      // A brace inside (or no closing pair): the next candidate starts after this opening brace.
      from = open + 1;
    }
  }
}

function splitPath(expression: string): [string, string[]] {
  const [root = '', ...path] = expression.split('.').map((segment) => segment.trim());
  return [root, path];
}

export function templateReferences(template: string): TemplateRef[] {
  const refs: TemplateRef[] = [];
  for (const { raw, expression, index } of placeholders(template)) {
    const [root, path] = splitPath(expression);
    refs.push({ raw, root, path, index });
  }
  return refs;
}

export function renderTemplate(template: string, ctx: TemplateContext): string {
  let out = '';
  let last = 0;
  for (const { raw, expression, index } of placeholders(template)) {
    const [root, path] = splitPath(expression);
    out += template.slice(last, index) + stringify(resolve(root, path, ctx));
    last = index + raw.length;
  }
  return out + template.slice(last);
}

/** The value a reference points at, or undefined when any part of the path is missing. */
export function resolveReference(
  ref: Pick<TemplateRef, 'root' | 'path'>,
  ctx: TemplateContext,
): unknown {
  return resolve(ref.root, ref.path, ctx);
}

function resolve(root: string, path: string[], ctx: TemplateContext): unknown {
  if (root === 'input') return walk(ctx.input, path);
  if (root === 'steps') {
    const [nodeId, field, ...rest] = path;
    if (nodeId === undefined || (field !== 'output' && field !== 'iterations')) return undefined;
    const step = own(ctx.steps, nodeId) as { output?: unknown } | undefined;
    if (step === undefined || step === null) return undefined;
    if (field === 'iterations') return walk(own(step, 'iterations') ?? [], rest);
    return walk(own(step, 'output'), rest);
  }
  return undefined;
}

function walk(start: unknown, path: string[]): unknown {
  let value = start;
  for (const segment of path) {
    // Agents answer with text; when a later step reads a field of it, the text is expected to be JSON.
    if (typeof value === 'string') value = parseJson(value);
    value = own(value, segment);
    if (value === undefined) return undefined;
  }
  return value;
}

/** Own properties only: `{{input.constructor}}` or `{{input.__proto__}}` must not reach into prototypes. */
function own(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function stringify(value: unknown): string {
  // null counts as missing: a prompt reads better with nothing than with the word "null".
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? '';
  } catch {
    // bigint and circular values cannot be JSON; a best-effort text beats failing the step.
    return String(value);
  }
}
