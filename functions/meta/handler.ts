import { httpHandler } from '../../shared/http/api-handler';
import { routes } from '../../shared/api/routes';
import { openApiDocument } from '../../shared/api/openapi';

let doc: unknown;

export const handler = httpHandler(routes.meta, {
  'GET /health': async () => ({ status: 'ok', service: 'hishamos', version: '0.1.0' }),
  'GET /openapi.json': async () => (doc ??= openApiDocument()),
});
