import { route as r } from '../route';
import * as auth from '../contracts/auth';

export const authRoutes = [
  r('POST', '/v1/auth/signup', 'public', 'Create a tenant and its owner', {
    body: auth.SignupBody,
    response: auth.TokenPair,
    status: 201,
  }),
  r(
    'POST',
    '/v1/auth/login',
    'public',
    'Sign in with email and password: tokens or an MFA challenge',
    {
      body: auth.LoginBody,
      response: auth.SignInResult,
    },
  ),
  r(
    'POST',
    '/v1/auth/mfa',
    'public',
    'Sign-in step two: a TOTP or recovery code for an MFA token',
    {
      body: auth.MfaVerifyBody,
      response: auth.MfaSignInResult,
    },
  ),
  r('POST', '/v1/auth/mfa/enrol', 'public', 'Sign-in enrolment when the tenant requires MFA', {
    body: auth.MfaEnrolDuringSignInBody,
    response: auth.MfaEnrolment,
  }),
  r('POST', '/v1/auth/sso/start', 'public', 'Start a single sign-on: the provider URL (PKCE)', {
    body: auth.SsoStartBody,
    response: auth.SsoStart,
  }),
  r('POST', '/v1/auth/sso/callback', 'public', 'Finish a single sign-on: tokens for the tenant', {
    body: auth.SsoCallbackBody,
    response: auth.SignInResult,
  }),
  r('POST', '/v1/auth/switch', 'viewer', 'Tokens for another tenant of the signed-in user', {
    body: auth.SwitchTenantBody,
    response: auth.SignInResult,
  }),
  r('POST', '/v1/auth/refresh', 'public', 'Rotate a refresh token', {
    body: auth.RefreshBody,
    response: auth.TokenPair,
  }),
  r('POST', '/v1/auth/logout', 'public', 'Revoke a refresh token family', {
    body: auth.LogoutBody,
    status: 204,
  }),
  r('GET', '/v1/me', 'viewer', 'Who am I', { response: auth.Me }),
  r('GET', '/v1/me/mfa', 'viewer', 'My second factor', { response: auth.MfaStatus }),
  r('POST', '/v1/me/mfa/enrol', 'viewer', 'Start TOTP enrolment (otpauth URI and QR code)', {
    response: auth.MfaEnrolment,
  }),
  r('POST', '/v1/me/mfa/confirm', 'viewer', 'Turn MFA on with a first code', {
    body: auth.MfaConfirmBody,
    response: auth.MfaRecoveryCodes,
  }),
  r('POST', '/v1/me/mfa/disable', 'viewer', 'Turn MFA off (needs a fresh code)', {
    body: auth.MfaDisableBody,
    status: 204,
  }),
  r('POST', '/v1/invitations/lookup', 'public', 'What an invitation token invites to', {
    body: auth.InvitationLookupBody,
    response: auth.InvitationPreview,
  }),
  r(
    'POST',
    '/v1/invitations/accept',
    'public',
    'Accept an invitation: signed in (bearer token) or with a new password',
    { body: auth.InvitationAcceptBody, response: auth.SignInResult },
  ),
] as const;
