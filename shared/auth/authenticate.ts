import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { Unauthorized } from '../errors';
import { rowsOf } from '../db/client';
import { apiKeys, memberships, refreshTokens } from '../db/schema';
import type { Platform } from '../platform/platform';
import type { Role } from '../api/contracts/common';
import type { AuthContext } from './context';
import { cachedAccess } from './membership-cache';
import { atMost } from './roles';
import { hashesEqual, parseApiKey, sha256, verifyAccessToken } from './tokens';
import { signingKey } from './signing-key';

/** `lastUsedAt` is written at most this often per key (a busy key must not write on every call). */
const LAST_USED_EVERY_MS = 60_000;

/**
 * `Authorization: Bearer <access token | API key>` → who is calling, as of now: the role is the
 * caller's current membership role (never the one in the token), and a removed member, a logged
 * out session or a key whose owner left is refused (ADR 050).
 */
export async function authenticate(p: Platform, header: string | undefined): Promise<AuthContext> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m)
    throw new Unauthorized(
      'missing bearer credentials: send Authorization: Bearer <token or API key>',
    );
  const credential = m[1];
  if (credential.startsWith('hos_')) return authenticateApiKey(p, credential);
  const claims = await verifyAccessToken(credential, await signingKey(p), p.now());
  const role = await currentRole(p, claims.tenantId, claims.userId, claims.sessionId);
  if (!role) throw new Unauthorized('this session has ended or you are no longer a member');
  return { tenantId: claims.tenantId, userId: claims.userId, role, via: 'token' };
}

/** The member's current role, or null when they left the tenant or the session was logged out. */
function currentRole(
  p: Platform,
  tenantId: string,
  userId: string,
  sessionId?: string,
): Promise<Role | null> {
  return cachedAccess(p, tenantId, `user:${userId}:${sessionId ?? ''}`, () =>
    p.db.withTenant({ tenantId, userId }, async (tx) => {
      const [member] = await tx
        .select({ role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
      if (!member) return null;
      if (sessionId) {
        const [live] = await tx
          .select({ id: refreshTokens.id })
          .from(refreshTokens)
          .where(and(eq(refreshTokens.familyId, sessionId), isNull(refreshTokens.revokedAt)))
          .limit(1);
        if (!live) return null;
      }
      return member.role as Role;
    }),
  );
}

async function authenticateApiKey(p: Platform, key: string): Promise<AuthContext> {
  const parsed = parseApiKey(key);
  if (!parsed) throw new Unauthorized('malformed API key');
  const row = await p.db.withoutTenant(
    async (tx) =>
      rowsOf<{
        id: string;
        tenant_id: string;
        secret_hash: string;
        role: Role;
        expires_at: Date | string | null;
        revoked_at: unknown;
      }>(await tx.execute(sql`select * from auth_find_api_key(${parsed.prefix})`))[0],
  );
  if (!row || !hashesEqual(row.secret_hash, sha256(parsed.secret)))
    throw new Unauthorized('invalid API key');
  if (row.revoked_at) throw new Unauthorized('API key revoked');
  if (row.expires_at && new Date(row.expires_at).getTime() <= p.now())
    throw new Unauthorized('API key expired');
  // A key acts for the member who owns it, with at most that member's current role.
  const owner = await cachedAccess(p, row.tenant_id, `apikey:${row.id}`, () =>
    p.db.withTenant({ tenantId: row.tenant_id }, async (tx) => {
      const [k] = await tx
        .select({ createdBy: apiKeys.createdBy, role: memberships.role })
        .from(apiKeys)
        .leftJoin(
          memberships,
          and(
            eq(memberships.tenantId, apiKeys.tenantId),
            eq(memberships.userId, apiKeys.createdBy),
          ),
        )
        .where(eq(apiKeys.id, row.id));
      return { userId: k?.createdBy ?? null, role: (k?.role as Role | null) ?? null };
    }),
  );
  if (owner.userId && !owner.role)
    throw new Unauthorized("API key's owner is no longer a member of this tenant");
  await touchApiKey(p, row.tenant_id, row.id);
  return {
    tenantId: row.tenant_id,
    userId: null,
    role: owner.role ? atMost(row.role, owner.role) : row.role,
    via: 'apiKey',
    apiKeyId: row.id,
    ...(owner.userId ? { ownerId: owner.userId } : {}),
  };
}

/** Records use, at most once a minute per key; a failure here never fails the request. */
const touched = new Map<string, number>();
async function touchApiKey(p: Platform, tenantId: string, id: string): Promise<void> {
  const now = new Date(p.now());
  if (now.getTime() - (touched.get(id) ?? 0) < LAST_USED_EVERY_MS) return;
  if (touched.size > 10_000) touched.clear();
  touched.set(id, now.getTime());
  await p.db
    .withTenant({ tenantId }, (tx) =>
      tx
        .update(apiKeys)
        .set({ lastUsedAt: now })
        .where(
          and(
            eq(apiKeys.id, id),
            or(
              isNull(apiKeys.lastUsedAt),
              lt(apiKeys.lastUsedAt, new Date(now.getTime() - LAST_USED_EVERY_MS)),
            ),
          ),
        ),
    )
    .catch((error) => p.log.warn('could not record API key use', { apiKeyId: id, error }));
}
