import { route as r } from '../route';
import { IdParams, PageQuery, listOf } from '../contracts/common';
import * as auth from '../contracts/auth';

export const apiKeysRoutes = [
  r('GET', '/v1/api-keys', 'admin', 'List API keys', {
    query: PageQuery,
    response: listOf(auth.ApiKey),
  }),
  r('POST', '/v1/api-keys', 'admin', 'Create an API key (secret shown once)', {
    body: auth.ApiKeyCreateBody,
    response: auth.ApiKeyCreated,
    status: 201,
  }),
  r('DELETE', '/v1/api-keys/{id}', 'admin', 'Revoke an API key', {
    params: IdParams,
    status: 204,
  }),
] as const;
