import { httpHandler } from '../../shared/http/api-handler';
import { openApiDocument } from '../../shared/api/openapi';

let doc: unknown;

export const handler = httpHandler('meta', {
  'GET /health': async () => ({ status: 'ok', service: 'hishamos', version: '0.1.0' }),
  'GET /openapi.json': async () => (doc ??= openApiDocument()),
});
