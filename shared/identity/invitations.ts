/**
 * Members join by invitation: an admin invites an email with a role, the invitee accepts with the
 * single-use token (signed in, for an existing account, or by choosing a password, for a new one).
 * Inviting answers the same whether or not the email has an account anywhere (ADR 061).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Role } from '../api/contracts/common';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import { hashPassword } from '../auth/passwords';
import { canGrant } from '../auth/roles';
import { sha256 } from '../auth/tokens';
import { rowsOf } from '../db/client';
import { memberships, users } from '../db/schema';
import { invitations } from '../db/schema-identity';
import { Conflict, Forbidden, Gone, NotFound, Unauthorized, ValidationError } from '../errors';
import type { Platform } from '../platform/platform';
import { completeSignIn, type SignInResult } from './sessions';

export const DEFAULT_INVITATION_HOURS = 7 * 24;

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

type Row = typeof invitations.$inferSelect;

export function statusOf(
  r: Pick<Row, 'acceptedAt' | 'revokedAt' | 'expiresAt'>,
  now: number,
): InvitationStatus {
  if (r.acceptedAt) return 'accepted';
  if (r.revokedAt) return 'revoked';
  return r.expiresAt.getTime() <= now ? 'expired' : 'pending';
}

const view = (r: Row, now: number) => ({
  id: r.id,
  email: r.email,
  role: r.role as Role,
  status: statusOf(r, now),
  invitedBy: r.invitedBy,
  createdAt: r.createdAt.toISOString(),
  expiresAt: r.expiresAt.toISOString(),
  acceptedAt: r.acceptedAt?.toISOString() ?? null,
  revokedAt: r.revokedAt?.toISOString() ?? null,
});

export async function inviteMember(
  p: Platform,
  auth: AuthContext,
  input: { email: string; role: Role; expiresInHours?: number },
) {
  if (!canGrant(auth.role, input.role))
    throw new Forbidden(`a ${auth.role} cannot grant role ${input.role}`);
  const token = `hin_${randomBytes(32).toString('base64url')}`;
  const now = p.now();
  return p.db.withTenant(auth, async (tx) => {
    // Membership of THIS tenant is the admin's to see; whether the email has an account
    // elsewhere is not (RLS shows only this tenant's members here).
    const member = await tx
      .select({ id: users.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.tenantId, auth.tenantId), eq(users.email, input.email)));
    if (member.length) throw new Conflict(`${input.email} is already a member`);
    // Inviting again replaces the open invitation (a fresh link, a fresh expiry).
    await tx
      .update(invitations)
      .set({ revokedAt: new Date(now) })
      .where(
        and(
          eq(invitations.tenantId, auth.tenantId),
          eq(invitations.email, input.email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      );
    const [row] = await tx
      .insert(invitations)
      .values({
        tenantId: auth.tenantId,
        email: input.email,
        role: input.role,
        tokenHash: sha256(token),
        invitedBy: actorOf(auth),
        expiresAt: new Date(now + (input.expiresInHours ?? DEFAULT_INVITATION_HOURS) * 3600_000),
        createdAt: new Date(now),
      })
      .returning();
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'invitation.create',
      target: `invitation:${row.id}`,
      data: { email: input.email, role: input.role },
    });
    const base = p.config.PUBLIC_URL?.replace(/\/$/, '');
    return {
      ...view(row, now),
      token,
      acceptUrl: base ? `${base}/#/invitations/accept?token=${token}` : null,
    };
  });
}

export async function listInvitations(
  p: Platform,
  auth: AuthContext,
  filter: { status?: InvitationStatus },
) {
  const now = p.now();
  const rows = await p.db.withTenant(auth, (tx) =>
    tx
      .select()
      .from(invitations)
      .where(eq(invitations.tenantId, auth.tenantId))
      .orderBy(desc(invitations.createdAt))
      .limit(500),
  );
  return rows.map((r) => view(r, now)).filter((v) => !filter.status || v.status === filter.status);
}

export async function revokeInvitation(p: Platform, auth: AuthContext, id: string): Promise<void> {
  await p.db.withTenant(auth, async (tx) => {
    const rows = await tx
      .update(invitations)
      .set({ revokedAt: new Date(p.now()) })
      .where(
        and(
          eq(invitations.id, id),
          eq(invitations.tenantId, auth.tenantId),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      )
      .returning({ id: invitations.id });
    if (!rows.length) throw new NotFound(`open invitation ${id} not found`);
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'invitation.revoke',
      target: `invitation:${id}`,
    });
  });
}

interface Found {
  id: string;
  tenant_id: string;
  tenant_slug: string;
  tenant_name: string;
  email: string;
  role: Role;
  expires_at: Date | string;
  accepted_at: unknown;
  revoked_at: unknown;
}

async function findOpen(p: Platform, token: string): Promise<Found> {
  const row = await p.db.withoutTenant(
    async (tx) =>
      rowsOf<Found>(await tx.execute(sql`select * from auth_find_invitation(${sha256(token)})`))[0],
  );
  if (!row) throw new NotFound('invitation not found');
  if (row.accepted_at) throw new Conflict('this invitation was already accepted');
  if (row.revoked_at) throw new Gone('this invitation was revoked; ask for a new one');
  if (new Date(row.expires_at).getTime() <= p.now())
    throw new Gone('this invitation has expired; ask for a new one');
  return row;
}

/** What the acceptance page shows before the invitee decides. */
export async function describeInvitation(p: Platform, token: string) {
  const inv = await findOpen(p, token);
  return {
    tenant: { slug: inv.tenant_slug, name: inv.tenant_name },
    email: inv.email,
    role: inv.role,
    expiresAt: new Date(inv.expires_at).toISOString(),
  };
}

/**
 * Signed in (`caller`): the invitation must name the caller's email. Not signed in: a new account
 * is created with the password given; an existing account must sign in and accept instead.
 */
export async function acceptInvitation(
  p: Platform,
  input: { token: string; password?: string; name?: string },
  caller: AuthContext | null,
  sourceIp = '',
): Promise<SignInResult> {
  const inv = await findOpen(p, input.token);
  let userId: string;
  let passwordHash: string | undefined;
  if (caller) {
    if (caller.via !== 'token' || !caller.userId)
      throw new Forbidden('an API key cannot accept an invitation');
    userId = caller.userId;
  } else {
    if (!input.password)
      throw new ValidationError('password is required to create your account', [
        { path: 'password', message: 'required when accepting without signing in' },
      ]);
    passwordHash = await hashPassword(input.password);
    userId = randomUUID();
  }
  await p.db.withTenant({ tenantId: inv.tenant_id, userId }, async (tx) => {
    if (caller) {
      const [me] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
      if (!me) throw new Unauthorized('unknown user');
      if (me.email !== inv.email)
        throw new Forbidden(`this invitation is for ${inv.email}; sign in as that account`);
    } else {
      const existing = rowsOf(await tx.execute(sql`select 1 from auth_find_user(${inv.email})`));
      if (existing.length)
        throw new Conflict(
          `an account for ${inv.email} exists: sign in, then accept the invitation`,
        );
      await tx.insert(users).values({
        id: userId,
        email: inv.email,
        name: input.name ?? null,
        passwordHash: passwordHash ?? '',
      });
    }
    // Conditional: of two concurrent acceptances, one wins and the other changes nothing.
    const taken = await tx
      .update(invitations)
      .set({ acceptedAt: new Date(p.now()), acceptedBy: userId })
      .where(
        and(
          eq(invitations.id, inv.id),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      )
      .returning({ id: invitations.id });
    if (!taken.length) throw new Conflict('this invitation was already accepted');
    const added = await tx
      .insert(memberships)
      .values({ tenantId: inv.tenant_id, userId, role: inv.role })
      .onConflictDoNothing()
      .returning();
    if (!added.length) throw new Conflict(`${inv.email} is already a member`);
    await recordAudit(tx, {
      tenantId: inv.tenant_id,
      actor: `user:${userId}`,
      action: 'invitation.accept',
      target: `invitation:${inv.id}`,
      data: { role: inv.role, newAccount: !caller },
    });
  });
  return completeSignIn(p, {
    userId,
    member: {
      tenant_id: inv.tenant_id,
      tenant_slug: inv.tenant_slug,
      tenant_name: inv.tenant_name,
      role: inv.role,
    },
    method: caller ? 'invitation' : 'invitation+password',
    sourceIp,
    // A signed-in caller passed their own factor already, if they have one.
    mfaDone: Boolean(caller),
  });
}
