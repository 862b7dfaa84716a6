import { Reply, httpHandler } from '../../shared/http/api-handler';
import { metaRoutes } from '../../shared/api/routes/meta';
import { openApiDocument } from '../../shared/api/openapi';
import { checkReadiness } from '../../shared/observability/readiness';

let doc: unknown;

export const handler = httpHandler(metaRoutes, {
  'GET /health': async () => ({ status: 'ok', service: 'hishamos', version: '0.1.0' }),
  'GET /ready': async ({ platform }) => {
    const readiness = await checkReadiness(platform);
    return readiness.status === 'ready' ? readiness : new Reply(503, readiness);
  },
  'GET /openapi.json': async () => (doc ??= openApiDocument()),
});
