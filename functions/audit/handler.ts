import { httpHandler } from '../../shared/http/api-handler';
import { auditRoutes } from '../../shared/api/routes/audit';
import { listAudit } from '../../shared/audit/audit-log';
import { verifyAudit } from '../../shared/audit/anchor';

export const handler = httpHandler(auditRoutes, {
  'GET /v1/audit/verify': async ({ platform, auth }) => verifyAudit(platform, auth),
  'GET /v1/audit': async ({ platform, auth, query }) =>
    platform.db.withTenant(auth, async (tx) => {
      const rows = await listAudit(tx, auth.tenantId, {
        limit: query.limit,
        before: query.cursor ? Number(query.cursor) : undefined,
        action: query.action,
      });
      const items = rows.map((r) => ({
        seq: r.seq,
        at: r.createdAt.toISOString(),
        actor: r.actor,
        action: r.action,
        target: r.target,
        data: r.data ?? undefined,
        hash: r.hash,
      }));
      return {
        items,
        ...(rows.length === query.limit ? { nextCursor: String(rows[rows.length - 1].seq) } : {}),
      };
    }),
});
