/**
 * Per-tenant single sign-on with OpenID Connect (authorization code + PKCE) through openid-client:
 * it validates the ID token (issuer, audience, nonce, signature against the issuer's JWKS, expiry).
 * The PKCE verifier and nonce travel sealed inside `state`, so no login state is stored (ADR 063).
 */
import { eq, sql } from 'drizzle-orm';
import * as oidc from 'openid-client';
import * as z from 'zod';
import type { Role } from '../../api/contracts/common';
import { canGrant } from '../../auth/roles';
import { seal, unseal } from '../../auth/sealing';
import { signingKey } from '../../auth/signing-key';
import { rowsOf } from '../../db/client';
import { tenants } from '../../db/schema';
import { tenantSso } from '../../db/schema-identity';
import { NotFound, ProviderUnavailable, Unauthorized } from '../../errors';
import type { Platform } from '../../platform/platform';
import { completeSignIn, type SignInResult } from '../sessions';
import { linkIdentity } from './linking';
import { configuration, ssoSecretId } from './provider';

const STATE_LABEL = 'sso-state';
const STATE_TTL_MS = 10 * 60_000;

/** Tenant, nonce, PKCE verifier, redirect URI and expiry, sealed into `state`. */
const SealedState = z.object({
  t: z.string(),
  n: z.string(),
  v: z.string(),
  r: z.string(),
  e: z.number(),
});
type SealedState = z.infer<typeof SealedState>;

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
    state = SealedState.parse(JSON.parse(unseal(sealed, await signingKey(p), STATE_LABEL)));
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
