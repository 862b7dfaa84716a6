/** OpenAPI 3.1 generated from the route table and its zod contracts: one source for both. */
import { z } from 'zod';
import type { RouteSpec } from './route';
import { routes } from './routes';
import { ErrorBody } from './contracts/common';

const schema = (s: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(s, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const all = Object.entries(routes).flatMap(([domain, list]) =>
    (list as readonly RouteSpec[]).map((route) => ({ ...route, domain })),
  );
  for (const route of all) {
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
    ];
    const status = String(route.status ?? 200);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: `${route.domain}.${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+/g, '_')}`,
      summary: route.summary,
      tags: [route.domain],
      security: route.access === 'public' ? [] : [{ bearer: [] }],
      'x-required-role': route.access,
      ...(parameters.length ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: schema(route.body, 'input') } },
            },
          }
        : {}),
      responses: {
        [status]:
          status === '204' || !route.response
            ? { description: 'OK' }
            : {
                description: 'OK',
                content: { 'application/json': { schema: schema(route.response, 'output') } },
              },
        default: {
          description: 'Error',
          content: { 'application/json': { schema: schema(ErrorBody, 'output') } },
        },
      },
    };
  }
  return {
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
    },
    paths,
  };
}
