/**
 * Sign-up, login and refresh-token rotation. Refresh tokens rotate on every use; presenting a token
 * that was already rotated means it was stolen or replayed, so its whole family is revoked.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Role } from '../api/contracts/common';
import { accessChanged } from '../auth/membership-cache';
import { recordAudit } from '../audit/audit-log';
import { rowsOf, type Tx } from '../db/client';
import { memberships, refreshTokens, tenants, users } from '../db/schema';
import { userMfa } from '../db/schema-identity';
import { Conflict, Forbidden, Unauthorized } from '../errors';
import type { AuthContext } from '../auth/context';
import { CHALLENGE_TTL_SECONDS, signChallenge, type Challenge } from '../auth/challenge-token';
import type { Platform } from '../platform/platform';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../auth/passwords';
import { signingKey } from '../auth/signing-key';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  REFRESH_TOKEN_TTL_SECONDS,
  newRefreshToken,
  sha256,
  signAccessToken,
} from '../auth/tokens';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

export interface Membership {
  tenant_id: string;
  tenant_slug: string;
  tenant_name: string;
  role: Role;
}

export interface TenantChoice {
  id: string;
  slug: string;
  name: string;
  role: Role;
}

/** Signed in: tokens for one tenant, and every tenant the user may switch to. */
export interface SignedIn extends TokenPair {
  tenant: TenantChoice;
  tenants: TenantChoice[];
}

/** The password (or invitation, or SSO) step passed; a second factor is needed next. */
export interface MfaChallenge {
  mfaRequired: true;
  /** True when the tenant requires MFA and the user has none yet: enrol with this token first. */
  enrolment: boolean;
  mfaToken: string;
  expiresIn: number;
  tenant: TenantChoice;
}

export type SignInResult = SignedIn | MfaChallenge;

export async function login(
  p: Platform,
  input: { email: string; password: string; tenant?: string },
  sourceIp = '',
): Promise<SignInResult> {
  const user = await p.db.withoutTenant(
    async (tx) =>
      rowsOf<{ id: string; password_hash: string }>(
        await tx.execute(sql`select * from auth_find_user(${input.email})`),
      )[0],
  );
  // Verify even for unknown emails so timing does not reveal which accounts exist.
  const ok = await verifyPassword(input.password, user?.password_hash ?? DUMMY_PASSWORD_HASH);
  if (!user || !ok) throw new Unauthorized('wrong email or password');
  const member = pickMembership(await userMemberships(p, user.id), input.tenant);
  return completeSignIn(p, { userId: user.id, member, method: 'password', sourceIp });
}

/** A user in several tenants names one (slug or id); the first membership otherwise. */
export function pickMembership(all: Membership[], tenant: string | undefined): Membership {
  const member = all.find((m) => !tenant || m.tenant_slug === tenant || m.tenant_id === tenant);
  if (!member)
    throw new Unauthorized(
      tenant ? `not a member of tenant ${tenant}` : 'this account belongs to no tenant',
    );
  return member;
}

/**
 * After the first factor: a second one if the user enrolled one (unless just given), enrolment if
 * the tenant requires MFA and the user has none, otherwise tokens and an audited sign-in.
 */
export async function completeSignIn(
  p: Platform,
  who: {
    userId: string;
    member: Membership;
    method: string;
    sourceIp?: string;
    /** The second factor was verified in this sign-in (or the session already holds one). */
    mfaDone?: boolean;
  },
): Promise<SignInResult> {
  const { userId, member } = who;
  const tenant = choiceOf(member);
  const state = await p.db.withTenant({ tenantId: member.tenant_id, userId }, async (tx) => {
    const [factor] = await tx
      .select({ enabledAt: userMfa.enabledAt })
      .from(userMfa)
      .where(eq(userMfa.userId, userId));
    const [t] = await tx
      .select({ mfaRequired: tenants.mfaRequired, ssoOnly: tenants.ssoOnly })
      .from(tenants)
      .where(eq(tenants.id, member.tenant_id));
    return {
      enrolled: Boolean(factor?.enabledAt),
      required: Boolean(t?.mfaRequired),
      ssoOnly: Boolean(t?.ssoOnly),
    };
  });
  // Owners keep their password as a break-glass way in when the identity provider is down.
  if (state.ssoOnly && who.method !== 'sso' && member.role !== 'owner')
    throw new Forbidden(
      `tenant ${member.tenant_slug} signs in with single sign-on only: use POST /v1/auth/sso/start`,
    );
  const needs: Challenge['purpose'] | null =
    state.enrolled && !who.mfaDone ? 'verify' : !state.enrolled && state.required ? 'enrol' : null;
  if (needs)
    return {
      mfaRequired: true,
      enrolment: needs === 'enrol',
      mfaToken: await signChallenge(
        { userId, tenantId: member.tenant_id, purpose: needs, method: who.method },
        await signingKey(p),
        p.now(),
      ),
      expiresIn: CHALLENGE_TTL_SECONDS,
      tenant,
    };
  const pair = await p.db.withTenant({ tenantId: member.tenant_id, userId }, async (tx) => {
    await recordAudit(tx, {
      tenantId: member.tenant_id,
      actor: `user:${userId}`,
      action: 'auth.login',
      target: `user:${userId}`,
      data: { method: who.method, sourceIp: who.sourceIp ?? '' },
    });
    return issueTokens(
      p,
      tx,
      { tenantId: member.tenant_id, userId, role: member.role },
      randomUUID(),
    );
  });
  return { ...pair, tenant, tenants: (await userMemberships(p, userId)).map(choiceOf) };
}

/** Tokens for another tenant of the signed-in user: same person, same factors, new session. */
export async function switchTenant(
  p: Platform,
  auth: AuthContext,
  tenant: string,
  sourceIp = '',
): Promise<SignInResult> {
  if (auth.via !== 'token' || !auth.userId)
    throw new Forbidden('only a signed-in user switches tenant; API keys belong to one tenant');
  const member = pickMembership(await userMemberships(p, auth.userId), tenant);
  // The current session passed the user's second factor if one is enrolled.
  return completeSignIn(p, {
    userId: auth.userId,
    member,
    method: 'switch',
    sourceIp,
    mfaDone: true,
  });
}

const choiceOf = (m: Membership): TenantChoice => ({
  id: m.tenant_id,
  slug: m.tenant_slug,
  name: m.tenant_name,
  role: m.role,
});

export async function signup(
  p: Platform,
  input: { tenantName: string; email: string; password: string; name?: string },
): Promise<{ tenantId: string; userId: string; tokens: TokenPair }> {
  const passwordHash = await hashPassword(input.password);
  const slug = slugify(input.tenantName);
  const existing = await p.db.withoutTenant(async (tx) =>
    rowsOf(await tx.execute(sql`select 1 from auth_find_user(${input.email})`)),
  );
  if (existing.length)
    throw new Conflict(`an account with email ${input.email} already exists; log in instead`);
  // One transaction: a failure after the tenant row leaves nothing half-written.
  return p.db.withoutTenant(async (tx) => {
    const created = await tx
      .execute(sql`select auth_create_tenant(${slug}, ${input.tenantName}) as id`)
      .catch((e) => {
        throw isUniqueViolation(e)
          ? new Conflict(`tenant slug ${slug} is taken; choose another tenant name`)
          : e;
      });
    const tenantId = rowsOf<{ id: string }>(created)[0].id;
    // The new user row must be visible to RETURNING under RLS: it is "self" once app.user_id is set.
    const user = { id: randomUUID() };
    await tx.execute(
      sql`select set_config('app.tenant_id', ${tenantId}, true), set_config('app.user_id', ${user.id}, true)`,
    );
    await tx
      .insert(users)
      .values({ id: user.id, email: input.email, name: input.name ?? null, passwordHash });
    await tx.insert(memberships).values({ tenantId, userId: user.id, role: 'owner' });
    await recordAudit(tx, {
      tenantId,
      actor: `user:${user.id}`,
      action: 'tenant.create',
      target: `tenant:${tenantId}`,
      data: { slug },
    });
    const tokens = await issueTokens(
      p,
      tx,
      { tenantId, userId: user.id, role: 'owner' },
      randomUUID(),
    );
    return { tenantId, userId: user.id, tokens };
  });
}

export async function refresh(p: Platform, token: string): Promise<TokenPair> {
  const row = await findRefreshToken(p, token);
  return p.db
    .withTenant({ tenantId: row.tenant_id, userId: row.user_id }, async (tx) => {
      if (row.rotated_at || row.revoked_at) {
        await tx
          .update(refreshTokens)
          .set({ revokedAt: new Date(p.now()) })
          .where(and(eq(refreshTokens.familyId, row.family_id), isNull(refreshTokens.revokedAt)));
        await recordAudit(tx, {
          tenantId: row.tenant_id,
          actor: `user:${row.user_id}`,
          action: 'auth.refresh_reuse',
          target: `token-family:${row.family_id}`,
        });
        return null;
      }
      if (new Date(row.expires_at).getTime() <= p.now())
        throw new Unauthorized('refresh token expired; log in again');
      // Conditional update: of two concurrent refreshes with one token, only one wins.
      const rotated = await tx
        .update(refreshTokens)
        .set({ rotatedAt: new Date(p.now()) })
        .where(and(eq(refreshTokens.id, row.id), isNull(refreshTokens.rotatedAt)))
        .returning({ id: refreshTokens.id });
      if (!rotated.length) throw new Unauthorized('refresh token already used');
      const [member] = await tx
        .select({ role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.tenantId, row.tenant_id), eq(memberships.userId, row.user_id)));
      if (!member) throw new Unauthorized('no longer a member of this tenant');
      return issueTokens(
        p,
        tx,
        { tenantId: row.tenant_id, userId: row.user_id, role: member.role as Role },
        row.family_id,
      );
    })
    .then((pair) => {
      // Outside the transaction, so the family revocation above is committed before we answer.
      if (!pair) return accessChanged(p, row.tenant_id).then(() => null);
      return pair;
    })
    .then((pair) => {
      if (!pair)
        throw new Unauthorized(
          'refresh token was already used: every session of this login has been revoked',
        );
      return pair;
    });
}

export async function logout(p: Platform, token: string): Promise<void> {
  const row = await findRefreshToken(p, token).catch(() => null);
  if (!row) return;
  await p.db.withTenant({ tenantId: row.tenant_id, userId: row.user_id }, async (tx) => {
    await tx
      .update(refreshTokens)
      .set({ revokedAt: new Date(p.now()) })
      .where(and(eq(refreshTokens.familyId, row.family_id), isNull(refreshTokens.revokedAt)));
    await recordAudit(tx, {
      tenantId: row.tenant_id,
      actor: `user:${row.user_id}`,
      action: 'auth.logout',
      target: `token-family:${row.family_id}`,
    });
  });
  await accessChanged(p, row.tenant_id);
}

export async function userMemberships(p: Platform, userId: string): Promise<Membership[]> {
  return p.db.withoutTenant(async (tx) =>
    rowsOf<Membership>(await tx.execute(sql`select * from auth_user_memberships(${userId}::uuid)`)),
  );
}

async function findRefreshToken(p: Platform, token: string) {
  const row = await p.db.withoutTenant(
    async (tx) =>
      rowsOf<{
        id: string;
        tenant_id: string;
        user_id: string;
        family_id: string;
        expires_at: string | Date;
        rotated_at: unknown;
        revoked_at: unknown;
      }>(await tx.execute(sql`select * from auth_find_refresh_token(${sha256(token)})`))[0],
  );
  if (!row) throw new Unauthorized('unknown refresh token');
  return row;
}

export async function issueTokens(
  p: Platform,
  tx: Tx,
  who: { tenantId: string; userId: string; role: Role },
  familyId: string,
): Promise<TokenPair> {
  const refreshToken = newRefreshToken();
  await tx.insert(refreshTokens).values({
    tenantId: who.tenantId,
    userId: who.userId,
    familyId,
    tokenHash: sha256(refreshToken),
    expiresAt: new Date(p.now() + REFRESH_TOKEN_TTL_SECONDS * 1000),
  });
  const accessToken = await signAccessToken(
    { ...who, sessionId: familyId },
    await signingKey(p),
    p.now(),
  );
  return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS, tokenType: 'Bearer' };
}

export function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'tenant'
  );
}

export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; cause?: { code?: string }; message?: string };
  return (
    err?.code === '23505' ||
    err?.cause?.code === '23505' ||
    /duplicate key|unique constraint/i.test(
      String(err?.message ?? '') + String((err?.cause as Error)?.message ?? ''),
    )
  );
}
