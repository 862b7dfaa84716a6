/** A tenant's single sign-on settings: read, saved after checking the issuer, deleted (ADR 063). */
import { eq } from 'drizzle-orm';
import type { Role } from '../../api/contracts/common';
import { recordAudit } from '../../audit/audit-log';
import { actorOf, type AuthContext } from '../../auth/context';
import { tenants } from '../../db/schema';
import { tenantSso } from '../../db/schema-identity';
import { NotFound, ValidationError } from '../../errors';
import { registerSecret } from '../../observability/logger';
import type { Platform } from '../../platform/platform';
import { configuration, ssoSecretId } from './provider';

export interface SsoSettingsInput {
  issuer: string;
  clientId: string;
  /** Required the first time; omitted later, the stored secret is kept. */
  clientSecret?: string;
  defaultRole: Exclude<Role, 'owner'>;
  roleClaim?: string | null;
  roleMap?: Record<string, Exclude<Role, 'owner'>> | null;
  ssoOnly?: boolean;
}

export async function getSsoSettings(p: Platform, auth: AuthContext) {
  return p.db.withTenant(auth, async (tx) => {
    const [row] = await tx.select().from(tenantSso).where(eq(tenantSso.tenantId, auth.tenantId));
    if (!row) throw new NotFound('single sign-on is not configured for this tenant');
    const [t] = await tx
      .select({ ssoOnly: tenants.ssoOnly })
      .from(tenants)
      .where(eq(tenants.id, auth.tenantId));
    return viewOf(row, Boolean(t?.ssoOnly));
  });
}

const viewOf = (row: typeof tenantSso.$inferSelect, ssoOnly: boolean) => ({
  issuer: row.issuer,
  clientId: row.clientId,
  clientSecretLast4: row.secretLast4,
  defaultRole: row.defaultRole as Role,
  roleClaim: row.roleClaim,
  roleMap: (row.roleMap as Record<string, Role> | null) ?? null,
  ssoOnly,
  updatedAt: row.updatedAt.toISOString(),
});

/** Checks the issuer's discovery document and the credentials' shape before saving anything. */
export async function putSsoSettings(p: Platform, auth: AuthContext, input: SsoSettingsInput) {
  if (input.clientSecret) registerSecret(input.clientSecret);
  const stored = input.clientSecret ?? (await p.secrets.get(ssoSecretId(p, auth.tenantId)));
  if (!stored)
    throw new ValidationError('clientSecret is required the first time', [
      { path: 'clientSecret', message: 'required: no client secret is stored yet' },
    ]);
  try {
    await configuration(p, input.issuer, input.clientId, stored);
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    throw new ValidationError(`the issuer's discovery document could not be read`, [
      { path: 'issuer', message: `no valid OpenID configuration at ${input.issuer}` },
    ]);
  }
  // Secret first: a failed row write leaves an unused secret, never a row without its secret.
  if (input.clientSecret) await p.secrets.put(ssoSecretId(p, auth.tenantId), input.clientSecret);
  return p.db.withTenant(auth, async (tx) => {
    const values = {
      tenantId: auth.tenantId,
      issuer: input.issuer,
      clientId: input.clientId,
      secretLast4: stored.slice(-4),
      defaultRole: input.defaultRole,
      roleClaim: input.roleClaim ?? null,
      roleMap: input.roleMap ?? null,
      updatedBy: actorOf(auth),
      updatedAt: new Date(p.now()),
    };
    const [row] = await tx
      .insert(tenantSso)
      .values(values)
      .onConflictDoUpdate({ target: tenantSso.tenantId, set: values })
      .returning();
    const [t] =
      input.ssoOnly === undefined
        ? await tx
            .select({ ssoOnly: tenants.ssoOnly })
            .from(tenants)
            .where(eq(tenants.id, auth.tenantId))
        : await tx
            .update(tenants)
            .set({ ssoOnly: input.ssoOnly })
            .where(eq(tenants.id, auth.tenantId))
            .returning({ ssoOnly: tenants.ssoOnly });
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'settings.sso',
      target: `tenant:${auth.tenantId}`,
      data: {
        issuer: input.issuer,
        clientId: input.clientId,
        defaultRole: input.defaultRole,
        roleClaim: input.roleClaim ?? null,
        ssoOnly: t.ssoOnly,
        secretChanged: Boolean(input.clientSecret),
      },
    });
    return viewOf(row, t.ssoOnly);
  });
}

export async function deleteSsoSettings(p: Platform, auth: AuthContext): Promise<void> {
  await p.db.withTenant(auth, async (tx) => {
    const gone = await tx
      .delete(tenantSso)
      .where(eq(tenantSso.tenantId, auth.tenantId))
      .returning({ id: tenantSso.tenantId });
    if (!gone.length) throw new NotFound('single sign-on is not configured for this tenant');
    // Without SSO, "SSO only" would lock every member but the owners out.
    await tx.update(tenants).set({ ssoOnly: false }).where(eq(tenants.id, auth.tenantId));
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'settings.sso.delete',
      target: `tenant:${auth.tenantId}`,
    });
  });
  await p.secrets.delete(ssoSecretId(p, auth.tenantId));
}
