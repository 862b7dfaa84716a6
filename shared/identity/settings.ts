import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import { tenants } from '../db/schema';
import type { Platform } from '../platform/platform';

export interface SecuritySettings {
  mfaRequired: boolean;
}

export async function securitySettings(p: Platform, auth: AuthContext): Promise<SecuritySettings> {
  return p.db.withTenant(auth, async (tx) => {
    const [t] = await tx
      .select({ mfaRequired: tenants.mfaRequired })
      .from(tenants)
      .where(eq(tenants.id, auth.tenantId));
    return { mfaRequired: Boolean(t?.mfaRequired) };
  });
}

export async function updateSecuritySettings(
  p: Platform,
  auth: AuthContext,
  patch: Partial<SecuritySettings>,
): Promise<SecuritySettings> {
  if (patch.mfaRequired === undefined) return securitySettings(p, auth);
  return p.db.withTenant(auth, async (tx) => {
    const [t] = await tx
      .update(tenants)
      .set({ mfaRequired: patch.mfaRequired })
      .where(eq(tenants.id, auth.tenantId))
      .returning({ mfaRequired: tenants.mfaRequired });
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'settings.security',
      target: `tenant:${auth.tenantId}`,
      data: { ...patch },
    });
    return { mfaRequired: t.mfaRequired };
  });
}
