/**
 * Contract helpers that make request bodies mean exactly what they say: every object in a body is
 * strict (an unknown field is a 400 naming it, never silently dropped), and a PATCH body names
 * only the fields it changes (no defaults filled in, `null` clears an optional field).
 */
import * as z from 'zod';

type AnySchema = z.core.$ZodType;

/**
 * The same schema with every object inside it strict. Objects that already say what to do with
 * extra keys (`looseObject`, `catchall`) and records keep their behaviour.
 */
export function deepStrict<T extends AnySchema>(schema: T): T {
  return strictOf(schema, new Map()) as T;
}

function strictOf(schema: AnySchema, seen: Map<AnySchema, AnySchema>): AnySchema {
  const done = seen.get(schema);
  if (done) return done;
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const clone = (patch: Record<string, unknown>) =>
    (schema as unknown as z.ZodType).clone({ ...def, ...patch } as never) as AnySchema;
  let out: AnySchema = schema;
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, AnySchema>;
      const next: Record<string, AnySchema> = {};
      for (const [k, v] of Object.entries(shape)) next[k] = strictOf(v, seen);
      out = clone({ shape: next, catchall: def.catchall ?? z.never() });
      break;
    }
    case 'array':
      out = clone({ element: strictOf(def.element as AnySchema, seen) });
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      out = clone({ innerType: strictOf(def.innerType as AnySchema, seen) });
      break;
    case 'union':
      out = clone({ options: (def.options as AnySchema[]).map((o) => strictOf(o, seen)) });
      break;
    case 'pipe':
      out = clone({ in: strictOf(def.in as AnySchema, seen) });
      break;
    default:
      out = schema;
  }
  seen.set(schema, out);
  return out;
}

/**
 * A PATCH body for an object schema: every field optional, no defaults applied, and fields that
 * are optional or defaulted in the full spec also accept `null` (clear it back to its default).
 */
export function patchOf<S extends z.ZodObject>(spec: S) {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(spec.shape as Record<string, z.ZodType>)) {
    const def = field._zod.def as { type: string; innerType?: z.ZodType };
    const clearable = def.type === 'optional' || def.type === 'default';
    const inner = clearable && def.innerType ? def.innerType : field;
    shape[key] = clearable ? inner.nullable().optional() : inner.optional();
  }
  return z.object(shape).strict() as unknown as z.ZodType<PatchOf<z.output<S>>>;
}

/** Fields named in a PATCH: a value replaces, `null` clears. */
export type PatchOf<T> = { [K in keyof T]?: T[K] | null };

/** Applies a PATCH to the stored spec; the caller parses the result with the full spec schema. */
export function applyPatch<T extends object>(
  current: T,
  patch: PatchOf<T>,
): Record<string, unknown> {
  const next: Record<string, unknown> = { ...(current as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}
