import { Reply, httpHandler } from '../../shared/http/api-handler';
import { apiKeysRoutes } from '../../shared/api/routes/api-keys';
import { createApiKey, listApiKeys, revokeApiKey } from '../../shared/identity/api-keys';

export const handler = httpHandler(apiKeysRoutes, {
  'GET /v1/api-keys': async ({ platform, auth, query }) => listApiKeys(platform, auth, query),
  'POST /v1/api-keys': async ({ platform, auth, body }) =>
    new Reply(201, await createApiKey(platform, auth, body)),
  'DELETE /v1/api-keys/{id}': async ({ platform, auth, params }) => {
    await revokeApiKey(platform, auth, params.id);
    return new Reply(204);
  },
});
