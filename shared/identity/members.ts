import { and, eq } from 'drizzle-orm';
import type { Role } from '../api/contracts/common';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import { accessChanged } from '../auth/membership-cache';
import { canGrant } from '../auth/roles';
import { revokeKeysOf } from './api-keys';
import type { Tx } from '../db/client';
import { afterCursor, keysetOrder, pageOf } from '../db/keyset';
import { memberships, users } from '../db/schema';
import { Conflict, Forbidden, NotFound } from '../errors';
import type { Platform } from '../platform/platform';

export interface MemberView {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  createdAt: string;
}

const memberColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: memberships.role,
  createdAt: memberships.createdAt,
};
const view = (r: {
  id: string;
  email: string;
  name: string | null;
  role: string;
  createdAt: Date;
}): MemberView => ({ ...r, role: r.role as Role, createdAt: r.createdAt.toISOString() });

export async function listMembers(
  p: Platform,
  auth: AuthContext,
  page: { limit: number; cursor?: string } = { limit: 200 },
): Promise<{ items: MemberView[]; nextCursor?: string }> {
  const key = {
    at: memberships.createdAt,
    id: memberships.userId,
    direction: 'asc',
    within: eq(memberships.tenantId, auth.tenantId),
  } as const;
  const after = afterCursor(key, page.cursor);
  return p.db.withTenant(auth, async (tx) => {
    const rows = await tx
      .select(memberColumns)
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.tenantId, auth.tenantId), after))
      .orderBy(...keysetOrder(key))
      .limit(page.limit + 1);
    const { rows: items, nextCursor } = pageOf(rows, page.limit, (r) => ({
      at: r.createdAt,
      id: r.id,
    }));
    return { items: items.map(view), ...(nextCursor ? { nextCursor } : {}) };
  });
}

export async function changeRole(
  p: Platform,
  auth: AuthContext,
  userId: string,
  role: Role,
): Promise<MemberView> {
  const changed = await p.db.withTenant(auth, async (tx) => {
    const current = await getMember(tx, auth.tenantId, userId);
    if (!canGrant(auth.role, role) || !canGrant(auth.role, current.role))
      throw new Forbidden(`a ${auth.role} cannot change a ${current.role} to ${role}`);
    if (current.role === 'owner' && role !== 'owner')
      await assertAnotherOwner(tx, auth.tenantId, userId);
    await tx
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.tenantId, auth.tenantId), eq(memberships.userId, userId)));
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'member.role',
      target: `user:${userId}`,
      data: { from: current.role, to: role },
    });
    return { ...current, role };
  });
  await accessChanged(p, auth.tenantId);
  return changed;
}

export async function removeMember(p: Platform, auth: AuthContext, userId: string): Promise<void> {
  await p.db.withTenant(auth, async (tx) => {
    const current = await getMember(tx, auth.tenantId, userId);
    if (!canGrant(auth.role, current.role))
      throw new Forbidden(`a ${auth.role} cannot remove a ${current.role}`);
    if (current.role === 'owner') await assertAnotherOwner(tx, auth.tenantId, userId);
    await tx
      .delete(memberships)
      .where(and(eq(memberships.tenantId, auth.tenantId), eq(memberships.userId, userId)));
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'member.remove',
      target: `user:${userId}`,
    });
    await revokeKeysOf(tx, auth.tenantId, userId, new Date(p.now()));
  });
  await accessChanged(p, auth.tenantId);
}

async function getMember(tx: Tx, tenantId: string, userId: string): Promise<MemberView> {
  const [row] = await tx
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
  if (!row) throw new NotFound(`member ${userId} not found`);
  return view(row);
}

async function assertAnotherOwner(tx: Tx, tenantId: string, userId: string): Promise<void> {
  const owners = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, 'owner')));
  if (!owners.some((o) => o.userId !== userId))
    throw new Conflict('a tenant keeps at least one owner');
}
