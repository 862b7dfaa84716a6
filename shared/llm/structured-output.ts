/**
 * Structured output (ADR 013): an agent with an `outputSchema` must answer with JSON that satisfies
 * it. The check is a real JSON Schema validation (zod 4's `z.fromJSONSchema`, compiled once per
 * schema). A failing answer is `OutputSchemaMismatch`: retryable, and the fallback walk moves it to
 * the NEXT model of the chain (never the same model again); on the last model it is final.
 * A schema that cannot be compiled is the agent's fault: InvalidRequest (permanent).
 */
import * as z from 'zod';
import { InvalidRequest, OutputSchemaMismatch, type FieldIssue } from '../errors';

const compiled = new Map<string, z.ZodType>();

function compile(schema: Record<string, unknown>): z.ZodType {
  const key = JSON.stringify(schema);
  let out = compiled.get(key);
  if (!out) {
    try {
      out = z.fromJSONSchema(schema as never);
    } catch (e) {
      throw new InvalidRequest(
        `the agent's output schema is not a usable JSON Schema: ${(e as Error).message}`,
      );
    }
    if (compiled.size > 500) compiled.clear();
    compiled.set(key, out);
  }
  return out;
}

/** Parse and validate a model's answer; returns the JSON value or throws OutputSchemaMismatch. */
export function validateStructuredOutput(text: string, schema: Record<string, unknown>): unknown {
  const validator = compile(schema);
  let value: unknown;
  try {
    value = JSON.parse(stripFence(text));
  } catch {
    throw new OutputSchemaMismatch(
      'the model answer is not JSON, but the output schema asks for JSON',
      { details: [{ path: 'output', message: 'not valid JSON' }] },
    );
  }
  const result = validator.safeParse(value);
  if (!result.success) {
    const details: FieldIssue[] = result.error.issues
      .slice(0, 20)
      .map((i) => ({ path: ['output', ...i.path.map(String)].join('.'), message: i.message }));
    throw new OutputSchemaMismatch(
      `the model answer does not match the output schema: ${details
        .slice(0, 3)
        .map((d) => `${d.path}: ${d.message}`)
        .join('; ')}`,
      { details },
    );
  }
  return value;
}

/** Some models wrap JSON in a ```json fence even when asked not to. */
function stripFence(text: string): string {
  const trimmed = text.trim();
  const firstLineEnd = trimmed.indexOf('\n');
  if (!trimmed.startsWith('```') || !trimmed.endsWith('```') || firstLineEnd === -1) return text;
  const info = trimmed.slice(3, firstLineEnd).trim();
  if (info !== '' && info !== 'json') return text;
  return trimmed.slice(firstLineEnd + 1, -3).replace(/\n$/, '');
}
