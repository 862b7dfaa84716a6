import { Forbidden } from '../../shared/errors';
import { Reply, httpHandler } from '../../shared/http/api-handler';
import { routes } from '../../shared/api/routes';
import { whoAmI } from '../../shared/identity/me';
import { login, logout, refresh, signup } from '../../shared/identity/sessions';

export const handler = httpHandler(routes.auth, {
  'POST /v1/auth/signup': async ({ platform, body }) => {
    if (!platform.config.SIGNUP_ENABLED)
      throw new Forbidden('sign-up is switched off on this installation');
    return new Reply(201, (await signup(platform, body)).tokens);
  },
  'POST /v1/auth/login': async ({ platform, body, sourceIp }) => login(platform, body, sourceIp),
  'POST /v1/auth/refresh': async ({ platform, body }) => refresh(platform, body.refreshToken),
  'POST /v1/auth/logout': async ({ platform, body }) => {
    await logout(platform, body.refreshToken);
    return new Reply(204);
  },
  'GET /v1/me': async ({ platform, auth }) => whoAmI(platform, auth),
});
