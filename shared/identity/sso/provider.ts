/**
 * The tenant's OpenID Connect provider as openid-client sees it. The issuer is tenant-supplied, so
 * discovery, JWKS and token calls all go through the guarded outbound client (ADR 052, ADR 063).
 */
import * as oidc from 'openid-client';
import { ValidationError } from '../../errors';
import { guardedFetch } from '../../net/outbound';
import type { Platform } from '../../platform/platform';

export function ssoSecretId(p: Platform, tenantId: string): string {
  return `${p.config.TENANT_SECRETS_PREFIX}${tenantId}/sso/client-secret`;
}

/** openid-client's fetch signature over the guarded client (its bodies are valid fetch bodies). */
const viaGuard: oidc.CustomFetch = (url, options) =>
  guardedFetch(url, options as unknown as RequestInit);

export async function configuration(
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
