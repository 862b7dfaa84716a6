import { eq } from 'drizzle-orm';
import type { AuthContext } from '../auth/context';
import { tenants, users } from '../db/schema';
import type { Platform } from '../platform/platform';

export async function whoAmI(p: Platform, auth: AuthContext) {
  return p.db.withTenant(auth, async (tx) => {
    const [tenant] = await tx
      .select({ id: tenants.id, slug: tenants.slug, name: tenants.name })
      .from(tenants)
      .where(eq(tenants.id, auth.tenantId));
    const [user] = auth.userId
      ? await tx
          .select({ id: users.id, email: users.email, name: users.name })
          .from(users)
          .where(eq(users.id, auth.userId))
      : [];
    return { user: user ?? null, tenant, role: auth.role, via: auth.via };
  });
}
