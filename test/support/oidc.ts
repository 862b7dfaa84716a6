/**
 * A real OpenID provider for tests: oidc-provider (certified) in this process on 127.0.0.1, with one
 * confidential client, accounts given by the test, and its development login and consent pages,
 * which `throughProvider` drives like a browser (cookie jar, redirects, form posts).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export const OIDC_CLIENT_ID = 'hishamos-test';
export const OIDC_CLIENT_SECRET = 'oidc-client-secret-Vx81Qm2Lr7';
export const OIDC_REDIRECT = 'http://127.0.0.1:5999/sso/callback';

export interface LocalOidcProvider {
  issuer: string;
  /** Follows the authorization URL through sign-in (as `account`) and consent to the redirect URI. */
  throughProvider(authorizationUrl: string, account: string): Promise<string>;
  close(): Promise<void>;
}

export async function startOidcProvider(
  accounts: Record<string, Record<string, unknown>>,
): Promise<LocalOidcProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        client_secret: OIDC_CLIENT_SECRET,
        redirect_uris: [OIDC_REDIRECT],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    conformIdTokenClaims: false,
    cookies: { keys: ['oidc-test-cookie-key'] },
    features: { devInteractions: { enabled: true } },
    findAccount: async (_ctx: unknown, id: string) =>
      accounts[id]
        ? { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) }
        : undefined,
  });
  server.on('request', provider.callback());
  return {
    issuer,
    throughProvider,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A browser with a cookie jar: follows the provider's redirects, signs in as `account`, consents. */
async function throughProvider(authorizationUrl: string, account: string): Promise<string> {
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 20; hop++) {
    if (url.startsWith(OIDC_REDIRECT)) return url;
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const location = res.headers.get('location');
    if (location) {
      url = new URL(location, url).href;
      method = 'GET';
      body = undefined;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200)
      throw new Error(`provider answered ${res.status}: ${html.slice(0, 300)}`);
    // The provider's own interaction pages: the login form, then the consent form.
    const prompt = html.includes('name="login"') ? 'login' : 'consent';
    method = 'POST';
    body = new URLSearchParams(
      prompt === 'login' ? { prompt, login: account, password: 'any' } : { prompt },
    ).toString();
    url = url.split('?')[0];
  }
  throw new Error('too many redirects at the provider');
}
