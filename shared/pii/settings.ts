import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import type { Tx } from '../db/client';
import { tenants } from '../db/schema';
import { ValidationError } from '../errors';
import type { Platform } from '../platform/platform';
import { policyFrom, type PiiPolicy } from './policy';

/** The policy the engine applies to a step of this tenant (defaults when none is stored). */
export async function tenantPiiPolicy(tx: Tx, tenantId: string): Promise<PiiPolicy> {
  const [t] = await tx
    .select({ policy: tenants.piiPolicy })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  return policyFrom(t?.policy);
}

export async function getPiiPolicy(p: Platform, auth: AuthContext): Promise<PiiPolicy> {
  return p.db.withTenant(auth, (tx) => tenantPiiPolicy(tx, auth.tenantId));
}

/** Tenant patterns run on every prompt: each must compile and match in linear time. */
export async function putPiiPolicy(
  p: Platform,
  auth: AuthContext,
  input: { classes: Partial<PiiPolicy['classes']>; patterns: PiiPolicy['patterns'] },
): Promise<PiiPolicy> {
  // The static analysis (scslre/refa, ~1 MiB) loads on first use: the members bundle's other
  // routes do not pay for it at cold start (ADR 111).
  const { superLinear } = input.patterns.length
    ? await import('./pattern-check')
    : { superLinear: () => null };
  const problems = input.patterns.flatMap((pat, i) => {
    let re: RegExp;
    try {
      re = new RegExp(pat.pattern, 'u');
    } catch (e) {
      return [
        {
          path: `patterns[${i}].pattern`,
          message: `not a regular expression: ${(e as Error).message}`,
        },
      ];
    }
    if (re.test(''))
      return [{ path: `patterns[${i}].pattern`, message: 'matches the empty string' }];
    const reason = superLinear(pat.pattern);
    return reason ? [{ path: `patterns[${i}].pattern`, message: reason }] : [];
  });
  if (problems.length)
    throw new ValidationError(
      `invalid PII pattern: ${problems[0].path}: ${problems[0].message}`,
      problems,
    );
  const policy = policyFrom(input);
  return p.db.withTenant(auth, async (tx) => {
    await tx.update(tenants).set({ piiPolicy: policy }).where(eq(tenants.id, auth.tenantId));
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'settings.pii',
      target: `tenant:${auth.tenantId}`,
      // The patterns' names and actions, not their text (a pattern may itself name a secret).
      data: {
        classes: policy.classes,
        patterns: policy.patterns.map((x) => ({ name: x.name, action: x.action })),
      },
    });
    return policy;
  });
}
