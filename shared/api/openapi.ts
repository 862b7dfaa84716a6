/**
 * OpenAPI 3.1 generated from the route table and its zod contracts: one source for both.
 *
 * Every exported contract schema is a named component (`#/components/schemas/<export name>`), and
 * any other schema that occurs twice is hoisted into a component too, so clients and generators
 * see each shape once. Operation ids are stable, readable verbs (`listAgents`, `getRun`), derived
 * from the method and path (ADR 072).
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import * as agents from './contracts/agents';
import * as audit from './contracts/audit';
import * as auth from './contracts/auth';
import * as catalogFiles from './contracts/catalog-files';
import * as common from './contracts/common';
import * as knowledge from './contracts/knowledge';
import * as providers from './contracts/providers';
import * as runs from './contracts/runs';
import * as triggers from './contracts/triggers';
import * as usage from './contracts/usage';
import * as workflows from './contracts/workflows';
import * as condition from '../workflow/condition';
import * as model from '../workflow/model';
import type { RouteSpec } from './route';
import { routes } from './routes';

type Json = Record<string, unknown>;

const CONTRACT_MODULES = [
  common,
  auth,
  agents,
  model,
  condition,
  workflows,
  catalogFiles,
  runs,
  audit,
  triggers,
  providers,
  usage,
  knowledge,
];
/** Parameter and query objects become parameters, not components. */
const NOT_A_COMPONENT = /(Params|Query)$/;
const REF_PREFIX = '#/components/schemas/';

/** Each exported contract schema, under its export name. */
function contractRegistry() {
  const registry = z.registry<{ id: string }>();
  const ids = new Set<string>();
  for (const mod of CONTRACT_MODULES)
    for (const [name, value] of Object.entries(mod)) {
      if (!(value instanceof z.ZodType) || NOT_A_COMPONENT.test(name) || ids.has(name)) continue;
      if (registry.has(value)) continue;
      registry.add(value, { id: name });
      ids.add(name);
    }
  return registry;
}

/** Operation ids for paths the verb rules below would name awkwardly. */
const OPERATION_IDS: Record<string, string> = {
  'GET /health': 'getHealth',
  'GET /ready': 'getReadiness',
  'GET /openapi.json': 'getOpenApiDocument',
  'GET /v1/me': 'getMe',
  'POST /v1/auth/signup': 'signUp',
  'POST /v1/auth/login': 'logIn',
  'POST /v1/auth/refresh': 'refreshTokens',
  'POST /v1/auth/logout': 'logOut',
  'POST /v1/workflows/{id}/runs': 'startRun',
  'GET /v1/workflows/{id}/export': 'exportWorkflow',
  'POST /v1/workflows/import': 'importWorkflow',
  'GET /v1/agents/{id}/export': 'exportAgent',
  'POST /v1/agents/import': 'importAgent',
  'GET /v1/runs/{id}/stream': 'streamRunEvents',
  'GET /v1/audit/verify': 'verifyAuditLog',
  'GET /v1/audit': 'listAuditEntries',
  'GET /v1/usage': 'getUsage',
  'GET /v1/budgets': 'getBudgets',
  'PUT /v1/budgets': 'setBudgets',
  'POST /mcp': 'callMcp',
  'POST /v1/webhooks/github/{triggerId}': 'receiveGithubWebhook',
  'POST /v1/webhooks/jira/{triggerId}': 'receiveJiraWebhook',
};
const ACTIONS = new Set([
  'cancel',
  'rerun',
  'approve',
  'reject',
  'publish',
  'search',
  'ingest',
  'verify',
  'test',
  'rotate',
  'stream',
]);

const pascal = (s: string) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
const singular = (s: string) => {
  if (s.endsWith('ies')) return `${s.slice(0, -3)}y`;
  if (/(ss|ch|sh|x)es$/.test(s)) return s.slice(0, -2);
  return s.replace(/s$/, '');
};

/** `GET /v1/agents` → listAgents, `POST /v1/runs/{id}/cancel` → cancelRun, and so on. */
export function operationId(method: string, path: string): string {
  const fixed = OPERATION_IDS[`${method} ${path}`];
  if (fixed) return fixed;
  const segments = path.split('/').filter((s) => s && s !== 'v1');
  const isItem = segments[segments.length - 1]?.startsWith('{') ?? false;
  const statics = segments.filter((s) => !s.startsWith('{'));
  const last = statics[statics.length - 1] ?? 'root';
  if (ACTIONS.has(last) && method === 'POST')
    return last + statics.slice(0, -1).map(singular).map(pascal).join('');
  const owners = statics.slice(0, -1).map(singular).map(pascal).join('');
  const noun = pascal(last);
  switch (method) {
    case 'GET':
      return isItem ? `get${owners}${pascal(singular(last))}` : `list${owners}${noun}`;
    case 'POST':
      return `create${owners}${pascal(singular(last))}`;
    case 'PATCH':
      return `update${owners}${pascal(singular(last))}`;
    case 'PUT':
      return `set${owners}${pascal(singular(last))}`;
    case 'DELETE':
      return `delete${owners}${pascal(singular(last))}`;
    default:
      return `${method.toLowerCase()}${owners}${noun}`;
  }
}

/** JSON, and for file routes the same shape as YAML (ADR 140). */
function withYaml(route: RouteSpec, media: Json): Json {
  return route.yaml
    ? { 'application/json': media, 'application/yaml': media }
    : { 'application/json': media };
}

/** A JSON Lines body (batches, ADR 160): one input object per line. */
const NDJSON_BODY: Json = {
  schema: { type: 'string', description: 'one JSON object (a run input) per line' },
};

export function openApiDocument(): Json {
  const registry = contractRegistry();
  const components: Record<string, Json> = {};
  /** Converts one schema; its named parts go to `components` (input variants as `<Name>Input`). */
  const schema = (s: z.ZodType, io: 'input' | 'output'): Json => {
    const out = z.toJSONSchema(s, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
      metadata: registry,
    }) as Json;
    const defs = (out.$defs ?? {}) as Record<string, Json>;
    delete out.$defs;
    delete out.$schema;
    // Names first (an input variant that differs from the output one is `<Name>Input`), then the
    // definitions with their references rewritten to those names.
    const rename = new Map<string, string>();
    for (const [name, def] of Object.entries(defs)) {
      delete def.$schema;
      delete def.id;
      const same =
        !components[name] || digest(components[name]) === digest(rewriteRefs(def, new Map()));
      rename.set(name, same ? name : `${name}Input`);
    }
    for (const [name, def] of Object.entries(defs)) {
      const target = rename.get(name) ?? name;
      components[target] ??= rewriteRefs(def, rename);
    }
    // The top-level schema may itself be a named one: then it is just a reference.
    const id = registry.get(s)?.id;
    const top = rewriteRefs(out, rename);
    if (typeof top.$ref === 'string' && Object.keys(top).length === 1) return top;
    if (id) {
      delete top.id;
      const target = components[id] && digest(components[id]) !== digest(top) ? `${id}Input` : id;
      components[target] ??= top;
      return { $ref: `${REF_PREFIX}${target}` };
    }
    return top;
  };

  const paths: Record<string, Record<string, unknown>> = {};
  const all = Object.entries(routes).flatMap(([domain, list]) =>
    (list as readonly RouteSpec[]).map((route) => ({ ...route, domain })),
  );
  const seen = new Set<string>();
  for (const route of all) {
    const opId = operationId(route.method, route.path);
    if (seen.has(opId))
      throw new Error(`duplicate operationId ${opId} (${route.method} ${route.path})`);
    seen.add(opId);
    const parameters = [
      ...Object.entries(route.params?.shape ?? {}).map(([name, s]) => ({
        name,
        in: 'path',
        required: true,
        schema: schema(s as z.ZodType, 'input'),
      })),
      ...Object.entries(route.query?.shape ?? {}).map(([name, s]) => ({
        name,
        in: 'query',
        required: !(s as z.ZodType).safeParse(undefined).success,
        schema: schema(s as z.ZodType, 'input'),
      })),
      ...(route.stream
        ? [
            {
              name: 'Last-Event-ID',
              in: 'header',
              required: false,
              description: 'Resume after this event (its seq); sent by EventSource on reconnect',
              schema: { type: 'string', pattern: '^[0-9]+$' },
            },
          ]
        : []),
    ];
    const status = String(route.status ?? 200);
    const success = route.stream
      ? {
          description:
            'Server-Sent Events: one `id: <seq>` / `event: <type>` / `data: <RunEvent JSON>` message per event, heartbeat comments, and a final `event: end` with the status',
          content: {
            'text/event-stream': {
              schema: { type: 'string' },
              'x-event-data': schema(runs.RunEvent, 'output'),
            },
          },
        }
      : status === '204' || !route.response
        ? { description: 'OK' }
        : {
            description: 'OK',
            content: withYaml(route, { schema: schema(route.response, 'output') }),
          };
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: opId,
      summary: route.summary,
      tags: [route.domain],
      security: route.access === 'public' ? [] : [{ bearer: [] }],
      'x-required-role': route.access,
      ...(parameters.length ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: {
                ...withYaml(route, { schema: schema(route.body, 'input') }),
                ...(route.ndjson ? { 'application/x-ndjson': NDJSON_BODY } : {}),
              },
            },
          }
        : {}),
      responses: {
        [status]: success,
        default: {
          description: 'Error',
          content: { 'application/json': { schema: schema(common.ErrorBody, 'output') } },
        },
      },
    };
  }
  const doc: Json = {
    openapi: '3.1.0',
    info: {
      title: 'HishamOS API',
      version: '1.0.0',
      description: 'AI agent orchestration: agents, workflows, runs, usage.',
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'Access token (JWT) or API key (hos_...)',
        },
      },
      schemas: components,
    },
    paths,
  };
  hoistRepeatedSchemas(doc, components);
  return doc;
}

/** `#/$defs/X` → `#/components/schemas/<renamed X>` everywhere in a converted schema. */
function rewriteRefs(value: Json, rename: Map<string, string>): Json {
  return JSON.parse(
    JSON.stringify(value).replace(/"#\/\$defs\/([^"]+)"/g, (_, name: string) =>
      JSON.stringify(`${REF_PREFIX}${rename.get(name) ?? name}`),
    ),
  ) as Json;
}

function digest(value: unknown): string {
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
function hoistRepeatedSchemas(doc: Json, components: Record<string, Json>): void {
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
