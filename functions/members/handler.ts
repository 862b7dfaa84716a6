import { Reply, httpHandler } from '../../shared/http/api-handler';
import { routes } from '../../shared/api/routes';
import { addMember, changeRole, listMembers, removeMember } from '../../shared/identity/members';

export const handler = httpHandler(routes.members, {
  'GET /v1/members': async ({ platform, auth, query }) => listMembers(platform, auth, query),
  'POST /v1/members': async ({ platform, auth, body }) =>
    new Reply(201, await addMember(platform, auth, body)),
  'PATCH /v1/members/{id}': async ({ platform, auth, params, body }) =>
    changeRole(platform, auth, params.id, body.role),
  'DELETE /v1/members/{id}': async ({ platform, auth, params }) => {
    await removeMember(platform, auth, params.id);
    return new Reply(204);
  },
});
