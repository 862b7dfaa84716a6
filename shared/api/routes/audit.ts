import { route as r } from '../route';
import { listOf } from '../contracts/common';
import * as audit from '../contracts/audit';

export const auditRoutes = [
  r('GET', '/v1/audit', 'admin', 'Read the audit log', {
    query: audit.AuditQuery,
    response: listOf(audit.AuditEntry),
  }),
] as const;
