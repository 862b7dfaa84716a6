/**
 * The short-lived token between the password step and the second factor of a sign-in. It has its
 * own issuer, so neither it is accepted as an access token nor an access token as it.
 */
import { SignJWT, jwtVerify } from 'jose';
import { Unauthorized } from '../errors';

export const CHALLENGE_TTL_SECONDS = 5 * 60;
const ISSUER = 'hishamos:mfa-challenge';

export interface Challenge {
  userId: string;
  tenantId: string;
  /** `verify`: enter a code of an enrolled factor; `enrol`: the tenant requires MFA, enrol first. */
  purpose: 'verify' | 'enrol';
  /** How the first step was passed (password, invitation, sso), for the sign-in audit. */
  method: string;
}

export async function signChallenge(c: Challenge, key: Uint8Array, now: number): Promise<string> {
  return new SignJWT({ tid: c.tenantId, purpose: c.purpose, method: c.method })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(c.userId)
    .setIssuer(ISSUER)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + CHALLENGE_TTL_SECONDS)
    .sign(key);
}

export async function verifyChallenge(
  token: string,
  key: Uint8Array,
  now: number,
): Promise<Challenge> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      algorithms: ['HS256'],
      currentDate: new Date(now),
    });
    const { sub, tid, purpose, method } = payload;
    if (
      typeof sub !== 'string' ||
      typeof tid !== 'string' ||
      (purpose !== 'verify' && purpose !== 'enrol') ||
      typeof method !== 'string'
    )
      throw new Unauthorized('malformed MFA token');
    return { userId: sub, tenantId: tid, purpose, method };
  } catch (e) {
    if (e instanceof Unauthorized) throw e;
    throw new Unauthorized('MFA token invalid or expired: sign in again', { cause: e });
  }
}
