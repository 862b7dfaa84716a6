import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Role } from '../api/contracts/common';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import { canGrant } from '../auth/roles';
import { newApiKey } from '../auth/tokens';
import { apiKeys } from '../db/schema';
import { Forbidden, NotFound } from '../errors';
import type { Platform } from '../platform/platform';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
type Row = typeof apiKeys.$inferSelect;
const view = (k: Row) => ({
  id: k.id,
  name: k.name,
  prefix: `hos_${k.prefix}`,
  role: k.role as Role,
  createdAt: k.createdAt.toISOString(),
  expiresAt: iso(k.expiresAt),
  lastUsedAt: iso(k.lastUsedAt),
  revokedAt: iso(k.revokedAt),
});

export async function listApiKeys(p: Platform, auth: AuthContext) {
  return p.db.withTenant(auth, async (tx) =>
    (
      await tx
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.tenantId, auth.tenantId))
        .orderBy(desc(apiKeys.createdAt))
    ).map(view),
  );
}

/** The secret exists only in this response; the database keeps its hash. */
export async function createApiKey(
  p: Platform,
  auth: AuthContext,
  input: { name: string; role: Role; expiresAt?: string },
) {
  if (!canGrant(auth.role, input.role))
    throw new Forbidden(`a ${auth.role} cannot create a ${input.role} key`);
  const { key, prefix, secretHash } = newApiKey();
  return p.db.withTenant(auth, async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        tenantId: auth.tenantId,
        name: input.name,
        prefix,
        secretHash,
        role: input.role,
        createdBy: auth.userId,
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      })
      .returning();
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'apikey.create',
      target: `apikey:${row.id}`,
      data: { name: input.name, role: input.role },
    });
    return { ...view(row), secret: key };
  });
}

export async function revokeApiKey(p: Platform, auth: AuthContext, id: string): Promise<void> {
  await p.db.withTenant(auth, async (tx) => {
    const rows = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date(p.now()) })
      .where(
        and(eq(apiKeys.id, id), eq(apiKeys.tenantId, auth.tenantId), isNull(apiKeys.revokedAt)),
      )
      .returning({ id: apiKeys.id });
    if (!rows.length) throw new NotFound(`API key ${id} not found`);
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'apikey.revoke',
      target: `apikey:${id}`,
    });
  });
}
