/**
 * Per-tenant single sign-on with OpenID Connect (authorization code + PKCE) through openid-client:
 * it validates the ID token (issuer, audience, nonce, signature against the issuer's JWKS, expiry).
 * The PKCE verifier and nonce travel sealed inside `state`, so no login state is stored (ADR 063).
 * First sign-in creates the user and membership just in time with the default role, or the role a
 * claim maps to; an existing account is linked only when the provider says the email is verified.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import * as oidc from 'openid-client';
import type { Role } from '../api/contracts/common';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import { accessChanged } from '../auth/membership-cache';
import { canGrant } from '../auth/roles';
import { seal, unseal } from '../auth/sealing';
import { signingKey } from '../auth/signing-key';
import { rowsOf } from '../db/client';
import { memberships, tenants, users } from '../db/schema';
import { tenantSso, userIdentities } from '../db/schema-identity';
import { Forbidden, NotFound, ProviderUnavailable, Unauthorized, ValidationError } from '../errors';
import { guardedFetch } from '../net/outbound';
import { registerSecret } from '../observability/logger';
import type { Platform } from '../platform/platform';
import { completeSignIn, type SignInResult } from './sessions';

const STATE_LABEL = 'sso-state';
const STATE_TTL_MS = 10 * 60_000;
/** Not a scrypt hash: an account created by SSO has no password until its owner sets one. */
const NO_PASSWORD = '!sso';

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

export function ssoSecretId(p: Platform, tenantId: string): string {
  return `${p.config.TENANT_SECRETS_PREFIX}${tenantId}/sso/client-secret`;
}

/** openid-client's fetch signature over the guarded client (its bodies are valid fetch bodies). */
const viaGuard: oidc.CustomFetch = (url, options) =>
  guardedFetch(url, options as unknown as RequestInit);

async function configuration(
  p: Platform,
  issuer: string,
  clientId: string,
  secret: string,
): Promise<oidc.Configuration> {
  const url = new URL(issuer);
  const insecure = url.protocol === 'http:';
  if (insecure && !p.config.SSO_ALLOW_HTTP_ISSUER)
    throw new ValidationError('the issuer must be an https URL', [
      { path: 'issuer', message: 'https required' },
    ]);
  // The issuer is tenant-supplied: discovery, JWKS and token calls go through the guarded client.
  const config = await oidc.discovery(url, clientId, secret, undefined, {
    execute: insecure ? [oidc.allowInsecureRequests] : [],
    timeout: 10,
    [oidc.customFetch]: viaGuard,
  });
  config[oidc.customFetch] = viaGuard;
  return config;
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

interface SealedState {
  t: string;
  n: string;
  v: string;
  r: string;
  e: number;
}

/** Step one: the URL to send the browser to, with PKCE (S256), a nonce and a sealed state. */
export async function startSso(p: Platform, input: { tenant: string; redirectUri: string }) {
  const row = await p.db.withoutTenant(
    async (tx) =>
      rowsOf<{ tenant_id: string; issuer: string; client_id: string }>(
        await tx.execute(sql`select * from auth_find_sso(${input.tenant})`),
      )[0],
  );
  if (!row) throw new NotFound(`tenant ${input.tenant} has no single sign-on`);
  const secret = await p.secrets.get(ssoSecretId(p, row.tenant_id));
  if (!secret) throw new NotFound(`tenant ${input.tenant} has no single sign-on`);
  const config = await configuration(p, row.issuer, row.client_id, secret).catch((e) => {
    throw new ProviderUnavailable(`the identity provider of ${input.tenant} cannot be reached`, {
      cause: e,
    });
  });
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const state = seal(
    JSON.stringify({
      t: row.tenant_id,
      n: nonce,
      v: verifier,
      r: input.redirectUri,
      e: p.now() + STATE_TTL_MS,
    } satisfies SealedState),
    await signingKey(p),
    STATE_LABEL,
  );
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: input.redirectUri,
    scope: 'openid email profile',
    response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    state,
  });
  return { authorizationUrl: url.href, state };
}

/**
 * Step two: the URL the provider redirected the browser to (with `code` and `state`). The code is
 * exchanged with the PKCE verifier, the ID token validated, and the user signed in to the tenant.
 */
export async function finishSso(
  p: Platform,
  input: { callbackUrl: string },
  sourceIp = '',
): Promise<SignInResult> {
  const callback = new URL(input.callbackUrl);
  const sealed = callback.searchParams.get('state') ?? '';
  let state: SealedState;
  try {
    state = JSON.parse(unseal(sealed, await signingKey(p), STATE_LABEL)) as SealedState;
  } catch {
    throw new Unauthorized('unknown or tampered SSO state: start the sign-in again');
  }
  if (state.e <= p.now()) throw new Unauthorized('the SSO sign-in took too long: start again');
  if (`${callback.origin}${callback.pathname}` !== state.r.split('?')[0])
    throw new Unauthorized('the callback URL is not the redirect URI this sign-in started with');
  const settings = await p.db.withTenant({ tenantId: state.t }, async (tx) => {
    const [row] = await tx.select().from(tenantSso).where(eq(tenantSso.tenantId, state.t));
    const [t] = await tx
      .select({ slug: tenants.slug, name: tenants.name })
      .from(tenants)
      .where(eq(tenants.id, state.t));
    return row && t ? { ...row, tenant: t } : undefined;
  });
  const secret = await p.secrets.get(ssoSecretId(p, state.t));
  if (!settings || !secret) throw new NotFound('single sign-on is no longer configured');
  const config = await configuration(p, settings.issuer, settings.clientId, secret);
  let claims: oidc.IDToken;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: state.v,
      expectedNonce: state.n,
      expectedState: sealed,
      idTokenExpected: true,
    });
    const c = tokens.claims();
    if (!c) throw new Error('no ID token');
    claims = c;
  } catch (e) {
    throw new Unauthorized(`the identity provider's answer was refused: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : undefined;
  const role = mappedRole(settings, claims);
  const { userId, memberRole } = await linkIdentity(p, {
    tenantId: state.t,
    issuer: settings.issuer,
    subject: claims.sub,
    email,
    emailVerified: claims.email_verified === true,
    name: typeof claims.name === 'string' ? claims.name : null,
    role,
    roleFromClaim: Boolean(settings.roleClaim),
  });
  return completeSignIn(p, {
    userId,
    member: {
      tenant_id: state.t,
      tenant_slug: settings.tenant.slug,
      tenant_name: settings.tenant.name,
      role: memberRole,
    },
    method: 'sso',
    sourceIp,
    // The identity provider applies its own factors; ours are for password sign-ins.
    mfaDone: true,
  });
}

/** The highest role any of the claim's values maps to, else the default role. */
function mappedRole(settings: typeof tenantSso.$inferSelect, claims: oidc.IDToken): Role {
  const fallback = settings.defaultRole as Role;
  if (!settings.roleClaim || !settings.roleMap) return fallback;
  const raw = claims[settings.roleClaim];
  const values = Array.isArray(raw) ? raw : [raw];
  const map = settings.roleMap as Record<string, Role>;
  const mapped = values.flatMap((v) => (typeof v === 'string' && map[v] ? [map[v]] : []));
  return (
    mapped.reduce<Role | undefined>(
      (best, r) => (!best || canGrant(r, best) ? r : best),
      undefined,
    ) ?? fallback
  );
}

async function linkIdentity(
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
