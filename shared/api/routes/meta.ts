import { route as r } from '../route';

export const metaRoutes = [
  r('GET', '/health', 'public', 'Liveness and version'),
  r('GET', '/openapi.json', 'public', 'This API as OpenAPI 3.1'),
] as const;
