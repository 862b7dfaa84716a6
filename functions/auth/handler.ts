import { Forbidden } from '../../shared/errors';
import { Reply, httpHandler } from '../../shared/http/api-handler';
import { authRoutes } from '../../shared/api/routes/auth';
import { authenticate } from '../../shared/auth/authenticate';
import { whoAmI } from '../../shared/identity/me';
import { acceptInvitation, describeInvitation } from '../../shared/identity/invitations';
import {
  confirmEnrolment,
  disableMfa,
  enrolDuringSignIn,
  mfaStatus,
  startEnrolment,
  verifySignIn,
} from '../../shared/identity/mfa';
import { login, logout, refresh, signup, switchTenant } from '../../shared/identity/sessions';

export const handler = httpHandler(authRoutes, {
  'POST /v1/auth/signup': async ({ platform, body }) => {
    if (!platform.config.SIGNUP_ENABLED)
      throw new Forbidden('sign-up is switched off on this installation');
    return new Reply(201, (await signup(platform, body)).tokens);
  },
  'POST /v1/auth/login': async ({ platform, body, sourceIp }) => login(platform, body, sourceIp),
  'POST /v1/auth/mfa': async ({ platform, body, sourceIp }) =>
    verifySignIn(platform, body, sourceIp),
  'POST /v1/auth/mfa/enrol': async ({ platform, body }) =>
    enrolDuringSignIn(platform, body.mfaToken),
  // Single sign-on (openid-client) loads on first use: most installations never turn it on.
  'POST /v1/auth/sso/start': async ({ platform, body }) =>
    (await import('../../shared/identity/sso/sign-in')).startSso(platform, body),
  'POST /v1/auth/sso/callback': async ({ platform, body, sourceIp }) =>
    (await import('../../shared/identity/sso/sign-in')).finishSso(platform, body, sourceIp),
  'POST /v1/auth/switch': async ({ platform, auth, body, sourceIp }) =>
    switchTenant(platform, auth, body.tenant, sourceIp),
  'POST /v1/auth/refresh': async ({ platform, body }) => refresh(platform, body.refreshToken),
  'POST /v1/auth/logout': async ({ platform, body }) => {
    await logout(platform, body.refreshToken);
    return new Reply(204);
  },
  'GET /v1/me': async ({ platform, auth }) => whoAmI(platform, auth),
  'GET /v1/me/mfa': async ({ platform, auth }) => mfaStatus(platform, auth),
  'POST /v1/me/mfa/enrol': async ({ platform, auth }) => startEnrolment(platform, auth),
  'POST /v1/me/mfa/confirm': async ({ platform, auth, body }) =>
    confirmEnrolment(platform, auth, body.code),
  'POST /v1/me/mfa/disable': async ({ platform, auth, body }) => {
    await disableMfa(platform, auth, body);
    return new Reply(204);
  },
  'POST /v1/invitations/lookup': async ({ platform, body }) =>
    describeInvitation(platform, body.token),
  // Public, but a bearer token, when sent, accepts for the signed-in account.
  'POST /v1/invitations/accept': async ({ platform, body, headers, sourceIp }) =>
    acceptInvitation(
      platform,
      body,
      headers.authorization ? await authenticate(platform, headers.authorization) : null,
      sourceIp,
    ),
});
