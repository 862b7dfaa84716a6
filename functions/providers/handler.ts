import { Reply, httpHandler } from '../../shared/http/api-handler';
import { providersRoutes } from '../../shared/api/routes/providers';
import { deleteProviderKey, listProviders, putProviderKey } from '../../shared/llm/provider-keys';

export const handler = httpHandler(providersRoutes, {
  'GET /v1/providers': async ({ platform, auth }) => ({
    items: await listProviders(platform, auth),
  }),
  'PUT /v1/providers/{provider}/key': async ({ platform, auth, params, body }) =>
    putProviderKey(platform, auth, params.provider, body),
  'DELETE /v1/providers/{provider}/key': async ({ platform, auth, params }) => {
    await deleteProviderKey(platform, auth, params.provider);
    return new Reply(204);
  },
});
