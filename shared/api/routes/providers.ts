import { route as r } from '../route';
import { listOf } from '../contracts/common';
import * as providers from '../contracts/providers';

export const providersRoutes = [
  r('GET', '/v1/providers', 'viewer', 'Providers: whose key, last 4, base URL, breaker state', {
    response: listOf(providers.ProviderStatus),
  }),
  r(
    'PUT',
    '/v1/providers/{provider}/key',
    'admin',
    'Store the tenant key for a provider (never read back)',
    {
      params: providers.ProviderParams,
      body: providers.ProviderKeyBody,
      response: providers.ProviderStatus,
    },
  ),
  r('DELETE', '/v1/providers/{provider}/key', 'admin', 'Remove the tenant key for a provider', {
    params: providers.ProviderParams,
    status: 204,
  }),
] as const;
