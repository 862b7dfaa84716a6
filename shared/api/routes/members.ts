import { route as r } from '../route';
import { IdParams, PageQuery, listOf } from '../contracts/common';
import * as auth from '../contracts/auth';

export const membersRoutes = [
  r('GET', '/v1/members', 'viewer', 'List members', {
    query: PageQuery,
    response: listOf(auth.Member),
  }),
  r('POST', '/v1/members', 'admin', 'Add a member', {
    body: auth.MemberCreateBody,
    response: auth.Member,
    status: 201,
  }),
  r('PATCH', '/v1/members/{id}', 'admin', 'Change a member role', {
    params: IdParams,
    body: auth.MemberPatchBody,
    response: auth.Member,
  }),
  r('DELETE', '/v1/members/{id}', 'admin', 'Remove a member', { params: IdParams, status: 204 }),
] as const;
