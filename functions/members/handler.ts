import { Reply, httpHandler } from '../../shared/http/api-handler';
import { membersRoutes } from '../../shared/api/routes/members';
import { changeRole, listMembers, removeMember } from '../../shared/identity/members';
import { inviteMember, listInvitations, revokeInvitation } from '../../shared/identity/invitations';
import { getPiiPolicy, putPiiPolicy } from '../../shared/pii/settings';
import {
  deleteSsoSettings,
  getSsoSettings,
  putSsoSettings,
} from '../../shared/identity/sso/settings';
import { securitySettings, updateSecuritySettings } from '../../shared/identity/settings';

export const handler = httpHandler(membersRoutes, {
  'GET /v1/members': async ({ platform, auth, query }) => listMembers(platform, auth, query),
  'POST /v1/members': async ({ platform, auth, body }) =>
    new Reply(201, await inviteMember(platform, auth, body)),
  'PATCH /v1/members/{id}': async ({ platform, auth, params, body }) =>
    changeRole(platform, auth, params.id, body.role),
  'DELETE /v1/members/{id}': async ({ platform, auth, params }) => {
    await removeMember(platform, auth, params.id);
    return new Reply(204);
  },
  'GET /v1/invitations': async ({ platform, auth, query }) => ({
    items: await listInvitations(platform, auth, query),
  }),
  'DELETE /v1/invitations/{id}': async ({ platform, auth, params }) => {
    await revokeInvitation(platform, auth, params.id);
    return new Reply(204);
  },
  'GET /v1/settings/security': async ({ platform, auth }) => securitySettings(platform, auth),
  'PATCH /v1/settings/security': async ({ platform, auth, body }) =>
    updateSecuritySettings(platform, auth, body),
  'GET /v1/settings/pii': async ({ platform, auth }) => getPiiPolicy(platform, auth),
  'PUT /v1/settings/pii': async ({ platform, auth, body }) => putPiiPolicy(platform, auth, body),
  'GET /v1/settings/sso': async ({ platform, auth }) => getSsoSettings(platform, auth),
  'PUT /v1/settings/sso': async ({ platform, auth, body }) => putSsoSettings(platform, auth, body),
  'DELETE /v1/settings/sso': async ({ platform, auth }) => {
    await deleteSsoSettings(platform, auth);
    return new Reply(204);
  },
});
