import { and, eq, isNull } from 'drizzle-orm';
import type { Role } from '../api/contracts/common';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import { accessChanged } from '../auth/membership-cache';
import { canGrant } from '../auth/roles';
import type { Tx } from '../db/client';
import { newApiKey } from '../auth/tokens';
import { afterCursor, keysetOrder, pageOf } from '../db/keyset';
import { apiKeys, users } from '../db/schema';
import { Forbidden, NotFound } from '../errors';
import type { Platform } from '../platform/platform';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
type Row = typeof apiKeys.$inferSelect;
/** The member a key belongs to (who created it), shown beside it. */
type Owner = { id: string; email: string | null } | null;
const view = (k: Row, owner: Owner) => ({
  id: k.id,
  createdBy: owner,
  name: k.name,
  prefix: `hos_${k.prefix}`,
  role: k.role as Role,
  createdAt: k.createdAt.toISOString(),
  expiresAt: iso(k.expiresAt),
  lastUsedAt: iso(k.lastUsedAt),
  revokedAt: iso(k.revokedAt),
});

export async function listApiKeys(
  p: Platform,
  auth: AuthContext,
  page: { limit: number; cursor?: string } = { limit: 200 },
) {
  const key = { at: apiKeys.createdAt, id: apiKeys.id };
  const after = afterCursor(key, page.cursor);
  return p.db.withTenant(auth, async (tx) => {
    const rows = await tx
      .select({ key: apiKeys, ownerEmail: users.email })
      .from(apiKeys)
      .leftJoin(users, eq(users.id, apiKeys.createdBy))
      .where(and(eq(apiKeys.tenantId, auth.tenantId), after))
      .orderBy(...keysetOrder(key))
      .limit(page.limit + 1);
    const { rows: items, nextCursor } = pageOf(rows, page.limit, (r) => ({
      at: r.key.createdAt,
      id: r.key.id,
    }));
    return {
      items: items.map((r) =>
        view(r.key, r.key.createdBy ? { id: r.key.createdBy, email: r.ownerEmail ?? null } : null),
      ),
      ...(nextCursor ? { nextCursor } : {}),
    };
  });
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
        // The key belongs to a member: the caller, or the owner of the key that calls.
        createdBy: auth.userId ?? auth.ownerId ?? null,
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
    const [owner] = row.createdBy
      ? await tx
          .select({ id: users.id, email: users.email })
          .from(users)
          .where(eq(users.id, row.createdBy))
      : [];
    return { ...view(row, owner ?? null), secret: key };
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
  await accessChanged(p, auth.tenantId);
}

/** A member's keys die with their membership (revoked, so the list shows why they stopped). */
export async function revokeKeysOf(tx: Tx, tenantId: string, userId: string, at: Date) {
  await tx
    .update(apiKeys)
    .set({ revokedAt: at })
    .where(
      and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.createdBy, userId), isNull(apiKeys.revokedAt)),
    );
}
