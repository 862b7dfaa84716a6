/**
 * Naming repeated schemas: any substantial schema that occurs twice in the OpenAPI document becomes
 * a named component and every occurrence a `$ref` to it, so clients see each shape once.
 */
import { createHash } from 'node:crypto';
import { pascal } from './operation-ids';

type Json = Record<string, unknown>;

export const REF_PREFIX = '#/components/schemas/';

export function digest(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('base64url');
}

/** JSON with sorted keys, so equal schemas compare equal. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as Json)
            .sort()
            .map((k) => [k, (v as Json)[k]]),
        )
      : v,
  );
}

/** Whether a schema is worth a name: objects with properties, arrays of them, unions, enums. */
export function isSubstantial(s: Json): boolean {
  if (typeof s.$ref === 'string') return false;
  if (s.type === 'object' && s.properties && Object.keys(s.properties as Json).length > 0)
    return true;
  if (Array.isArray(s.enum) && s.enum.length > 2) return true;
  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) return true;
  return false;
}

/**
 * Any substantial schema that still occurs twice (inline copies the registry did not name) becomes
 * a component named after where it first appears, and every occurrence a `$ref` to it.
 */
export function hoistRepeatedSchemas(doc: Json, components: Record<string, Json>): void {
  for (let round = 0; round < 5; round++) {
    const counts = new Map<string, { schema: Json; count: number; parts: string[] }>();
    for (const name of Object.keys(components))
      counts.set(digest(components[name]), { schema: components[name], count: 1, parts: [name] });
    visitSchemas(doc, (s, parts) => {
      if (!isSubstantial(s)) return;
      const key = digest(s);
      const entry = counts.get(key);
      if (entry) entry.count++;
      else counts.set(key, { schema: s, count: 1, parts });
    });
    const repeated = [...counts.entries()].filter(([, e]) => e.count > 1);
    const byDigest = new Map<string, string>();
    for (const [key, e] of repeated) {
      let name = Object.keys(components).find((n) => digest(components[n]) === key);
      if (!name) {
        name = uniqueName(components, e.parts);
        components[name] = JSON.parse(JSON.stringify(e.schema)) as Json;
      }
      byDigest.set(key, name);
    }
    let replaced = 0;
    const replace = (node: unknown, insideComponent: string | null): unknown => {
      if (Array.isArray(node)) return node.map((n) => replace(n, insideComponent));
      if (!node || typeof node !== 'object') return node;
      const obj = node as Json;
      if (isSubstantial(obj)) {
        const name = byDigest.get(digest(obj));
        if (name && name !== insideComponent) {
          replaced++;
          return { $ref: `${REF_PREFIX}${name}` };
        }
      }
      return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, replace(v, null)]));
    };
    for (const name of Object.keys(components))
      components[name] = replace(components[name], name) as Json;
    doc.paths = replace(doc.paths, null);
    if (!replaced) return;
  }
}

/**
 * A readable name from where a schema first appears: its property or parameter name alone when
 * free (`Status`, `Error`), else with more of its path (`RunStatus`), else numbered.
 */
function uniqueName(components: Record<string, Json>, parts: string[]): string {
  const meaningful = parts.filter((p) => !GENERIC.has(p));
  for (let n = 1; n <= meaningful.length; n++) {
    const name = meaningful.slice(-n).join('');
    if (name && !components[name]) return name;
  }
  const base = meaningful.join('') || 'Schema';
  let name = base;
  for (let i = 2; components[name]; i++) name = `${base}${i}`;
  return name;
}
const GENERIC = new Set(['Item', 'Items', 'Schema', 'Content', 'Parameters', 'Responses']);

/** Calls `fn` on every schema object under paths and components, with the path of names to it. */
function visitSchemas(doc: Json, fn: (schema: Json, parts: string[]) => void): void {
  const walk = (node: unknown, parts: string[]) => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n, parts);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const obj = node as Json;
    if ('type' in obj || 'anyOf' in obj || 'oneOf' in obj || 'enum' in obj) fn(obj, parts);
    if (typeof obj.in === 'string' && typeof obj.name === 'string' && obj.schema) {
      walk(obj.schema, [...parts, pascal(obj.name)]);
      return;
    }
    for (const [k, v] of Object.entries(obj)) {
      if (k === 'properties' && v && typeof v === 'object') {
        for (const [p, sub] of Object.entries(v as Json)) walk(sub, [...parts, pascal(p)]);
      } else walk(v, parts);
    }
  };
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Json>>;
  for (const ops of Object.values(paths))
    for (const op of Object.values(ops)) walk(op, [pascal(String(op.operationId))]);
  const components = ((doc.components as Json).schemas ?? {}) as Record<string, Json>;
  for (const [name, s] of Object.entries(components)) walk(s, [name]);
}
