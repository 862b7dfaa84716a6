/**
 * First sign-in creates the user and membership just in time with the default role, or the role a
 * claim maps to; an existing account is linked only when the provider says the email is verified.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Role } from '../../api/contracts/common';
import { recordAudit } from '../../audit/audit-log';
import { accessChanged } from '../../auth/membership-cache';
import { rowsOf } from '../../db/client';
import { memberships, users } from '../../db/schema';
import { userIdentities } from '../../db/schema-identity';
import { Forbidden } from '../../errors';
import type { Platform } from '../../platform/platform';

/** Not a scrypt hash: an account created by SSO has no password until its owner sets one. */
const NO_PASSWORD = '!sso';

export async function linkIdentity(
  p: Platform,
  who: {
    tenantId: string;
    issuer: string;
    subject: string;
    email?: string;
    emailVerified: boolean;
    name: string | null;
    role: Role;
    roleFromClaim: boolean;
  },
): Promise<{ userId: string; memberRole: Role; changed?: boolean }> {
  // The user id is needed before the transaction so that a new user row is visible to it (RLS).
  const known = await p.db.withTenant({ tenantId: who.tenantId }, (tx) =>
    tx
      .select({ userId: userIdentities.userId })
      .from(userIdentities)
      .where(
        and(
          eq(userIdentities.tenantId, who.tenantId),
          eq(userIdentities.issuer, who.issuer),
          eq(userIdentities.subject, who.subject),
        ),
      ),
  );
  let userId = known[0]?.userId;
  let existing: { id: string } | undefined;
  if (!userId) {
    if (!who.email) throw new Forbidden('the identity provider sent no email address');
    existing = await p.db.withoutTenant(
      async (tx) =>
        rowsOf<{ id: string }>(
          await tx.execute(sql`select id from auth_find_user(${who.email})`),
        )[0],
    );
    // Linking to an existing account on an unverified email would let anyone claim it.
    if (existing && !who.emailVerified)
      throw new Forbidden(
        'an account with this email exists and the provider did not verify the email',
      );
    userId = existing?.id ?? randomUUID();
  }
  const id = userId;
  const linked = await p.db.withTenant({ tenantId: who.tenantId, userId: id }, async (tx) => {
    if (!known.length) {
      if (!existing)
        await tx.insert(users).values({
          id,
          email: who.email ?? '',
          name: who.name,
          passwordHash: NO_PASSWORD,
        });
      await tx.insert(userIdentities).values({
        tenantId: who.tenantId,
        issuer: who.issuer,
        subject: who.subject,
        userId: id,
      });
    }
    const [member] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.tenantId, who.tenantId), eq(memberships.userId, id)));
    if (!member) {
      await tx.insert(memberships).values({ tenantId: who.tenantId, userId: id, role: who.role });
      await recordAudit(tx, {
        tenantId: who.tenantId,
        actor: `sso:${who.issuer}`,
        action: 'member.jit',
        target: `user:${id}`,
        data: { role: who.role, newAccount: !existing && !known.length },
      });
      return { userId: id, memberRole: who.role };
    }
    // With a role claim, the provider stays the source of truth on each sign-in (owners excepted).
    if (who.roleFromClaim && member.role !== 'owner' && member.role !== who.role) {
      await tx
        .update(memberships)
        .set({ role: who.role })
        .where(and(eq(memberships.tenantId, who.tenantId), eq(memberships.userId, id)));
      await recordAudit(tx, {
        tenantId: who.tenantId,
        actor: `sso:${who.issuer}`,
        action: 'member.role',
        target: `user:${id}`,
        data: { from: member.role, to: who.role },
      });
      return { userId: id, memberRole: who.role, changed: true };
    }
    return { userId: id, memberRole: member.role as Role };
  });
  // A role the provider lowered takes effect at once for the member's other sessions and keys.
  if ('changed' in linked) await accessChanged(p, who.tenantId);
  return linked;
}
