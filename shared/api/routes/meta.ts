import * as z from 'zod';
import { route as r } from '../route';

const Readiness = z.object({
  status: z.enum(['ready', 'unavailable']),
  checks: z.object({
    database: z.object({
      status: z.enum(['ok', 'failed']),
      latencyMs: z.number(),
      error: z.string().optional(),
    }),
  }),
});

export const metaRoutes = [
  r('GET', '/health', 'public', 'Liveness and version'),
  r('GET', '/ready', 'public', 'Readiness: 200 when the database answers, else 503', {
    response: Readiness,
  }),
  r('GET', '/openapi.json', 'public', 'This API as OpenAPI 3.1'),
] as const;
