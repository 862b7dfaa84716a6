import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { Unauthorized } from '../errors';
import { isRole, type Role } from './roles';

export const ACCESS_TOKEN_TTL_SECONDS = 30 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;
const ISSUER = 'hishamos';

export interface AccessClaims {
  userId: string;
  tenantId: string;
  role: Role;
  /** The login session (refresh token family): logging out ends its access tokens too. */
  sessionId?: string;
}

export async function signAccessToken(
  claims: AccessClaims,
  key: Uint8Array,
  now = Date.now(),
): Promise<string> {
  return new SignJWT({
    tid: claims.tenantId,
    role: claims.role,
    ...(claims.sessionId ? { sid: claims.sessionId } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setJti(randomUUID())
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + ACCESS_TOKEN_TTL_SECONDS)
    .sign(key);
}

export async function verifyAccessToken(
  token: string,
  key: Uint8Array,
  now = Date.now(),
): Promise<AccessClaims> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      algorithms: ['HS256'],
      currentDate: new Date(now),
    });
    const { sub, tid, role, sid } = payload;
    if (typeof sub !== 'string' || typeof tid !== 'string' || !isRole(role)) {
      throw new Unauthorized('malformed access token');
    }
    return {
      userId: sub,
      tenantId: tid,
      role,
      ...(typeof sid === 'string' ? { sessionId: sid } : {}),
    };
  } catch (e) {
    if (e instanceof Unauthorized) throw e;
    const expired = e instanceof joseErrors.JWTExpired;
    throw new Unauthorized(expired ? 'access token expired' : 'invalid access token', { cause: e });
  }
}

/** Opaque secrets (refresh tokens, API keys) are stored as SHA-256: high-entropy, so no salt or KDF needed. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export function newRefreshToken(): string {
  return `hrt_${randomBytes(32).toString('base64url')}`;
}

/** `hos_<prefix>_<secret>`: the prefix finds the row, the secret is compared by hash. */
export function newApiKey(): { key: string; prefix: string; secretHash: string } {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(24).toString('base64url');
  return { key: `hos_${prefix}_${secret}`, prefix, secretHash: sha256(secret) };
}

export function parseApiKey(key: string): { prefix: string; secret: string } | null {
  const m = /^hos_([0-9a-f]{12})_([A-Za-z0-9_-]{32})$/.exec(key);
  return m ? { prefix: m[1], secret: m[2] } : null;
}

export function hashesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
