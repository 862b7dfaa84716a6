/**
 * OpenAPI 3.1 generated from the route table and its zod contracts: one source for both.
 *
 * Every exported contract schema is a named component (`#/components/schemas/<export name>`), and
 * any other schema that occurs twice is hoisted into a component too, so clients and generators
 * see each shape once. Operation ids are stable, readable verbs (`listAgents`, `getRun`), derived
 * from the method and path (ADR 072).
 */
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
import { operationId } from './operation-ids';
import type { RouteSpec } from './route';
import { digest, hoistRepeatedSchemas, REF_PREFIX } from './schema-components';
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
