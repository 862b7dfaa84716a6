import { route as r } from '../route';
import { IdParams, PageQuery, listOf } from '../contracts/common';
import * as auth from '../contracts/auth';

export const membersRoutes = [
  r('GET', '/v1/members', 'viewer', 'List members', {
    query: PageQuery,
    response: listOf(auth.Member),
  }),
  r(
    'POST',
    '/v1/members',
    'admin',
    'Invite a member (same answer whether or not they have an account)',
    {
      body: auth.MemberCreateBody,
      response: auth.InvitationCreated,
      status: 201,
    },
  ),
  r('PATCH', '/v1/members/{id}', 'admin', 'Change a member role', {
    params: IdParams,
    body: auth.MemberPatchBody,
    response: auth.Member,
  }),
  r('DELETE', '/v1/members/{id}', 'admin', 'Remove a member', { params: IdParams, status: 204 }),
  r('GET', '/v1/invitations', 'admin', 'List invitations (pending, accepted, revoked, expired)', {
    query: auth.InvitationQuery,
    response: listOf(auth.Invitation),
  }),
  r('DELETE', '/v1/invitations/{id}', 'admin', 'Revoke a pending invitation', {
    params: IdParams,
    status: 204,
  }),
  r('GET', '/v1/settings/security', 'admin', 'Tenant sign-in policy', {
    response: auth.SecuritySettings,
  }),
  r('PATCH', '/v1/settings/security', 'owner', 'Change the tenant sign-in policy', {
    body: auth.SecuritySettingsPatch,
    response: auth.SecuritySettings,
  }),
  r('GET', '/v1/settings/pii', 'viewer', 'The tenant PII policy', {
    response: auth.PiiPolicyView,
  }),
  r('PUT', '/v1/settings/pii', 'admin', 'Set the tenant PII policy', {
    body: auth.PiiPolicy,
    response: auth.PiiPolicyView,
  }),
  r('GET', '/v1/settings/sso', 'admin', 'The tenant single sign-on (OpenID Connect)', {
    response: auth.SsoSettings,
  }),
  r(
    'PUT',
    '/v1/settings/sso',
    'owner',
    'Configure single sign-on (the secret is never read back)',
    {
      body: auth.SsoSettingsBody,
      response: auth.SsoSettings,
    },
  ),
  r('DELETE', '/v1/settings/sso', 'owner', 'Remove single sign-on (and SSO-only)', { status: 204 }),
] as const;
