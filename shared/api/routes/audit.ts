import { route as r } from '../route';
import { listOf } from '../contracts/common';
import * as audit from '../contracts/audit';

export const auditRoutes = [
  r('GET', '/v1/audit', 'admin', 'Read the audit log', {
    query: audit.AuditQuery,
    response: listOf(audit.AuditEntry),
  }),
  r(
    'GET',
    '/v1/audit/verify',
    'admin',
    'Verify the audit chain and its signed anchors; reports the first broken link',
    { response: audit.AuditVerification },
  ),
] as const;
