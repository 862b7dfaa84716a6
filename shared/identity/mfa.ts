/**
 * TOTP (RFC 6238) as a second factor: enrol (a pending secret, shown as an otpauth URI and a QR
 * code), confirm with a first code (which turns it on and yields ten single-use recovery codes),
 * verify at sign-in, disable with a fresh code. A code's time step is remembered so the same code
 * never works twice; failed codes are rate-limited per user.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { generateSecret, generateURI, verify } from 'otplib';
import { recordAudit } from '../audit/audit-log';
import type { AuthContext } from '../auth/context';
import { verifyChallenge } from '../auth/challenge-token';
import { keyedHash, seal, unseal } from '../auth/sealing';
import { signingKey } from '../auth/signing-key';
import type { Tx } from '../db/client';
import { users } from '../db/schema';
import { mfaRecoveryCodes, userMfa } from '../db/schema-identity';
import { Conflict, Forbidden, Unauthorized, ValidationError } from '../errors';
import type { Platform } from '../platform/platform';
import { consume } from '../ratelimit/fixed-window';
import { completeSignIn, pickMembership, userMemberships, type SignInResult } from './sessions';

const ISSUER = 'HishamOS';
const PERIOD = 30;
const RECOVERY_CODES = 10;
const SECRET_LABEL = 'mfa-secret';
const RECOVERY_LABEL = 'mfa-recovery';
/** Wrong codes a user may send per minute before further attempts are refused. */
const CODE_ATTEMPTS_PER_MINUTE = 5;

export interface Enrolment {
  secret: string;
  otpauthUri: string;
  /** The URI as a QR code, an SVG data URL the console shows as an image. */
  qrCode: string;
}

export interface SecondFactor {
  code?: string;
  recoveryCode?: string;
}

/** Starts (or restarts) enrolment for a signed-in user. */
export async function startEnrolment(p: Platform, auth: AuthContext): Promise<Enrolment> {
  return enrol(p, signedInUser(auth), auth.tenantId);
}

/** Confirms enrolment with a first code: MFA is on from now; the recovery codes are shown once. */
export async function confirmEnrolment(
  p: Platform,
  auth: AuthContext,
  code: string,
): Promise<{ recoveryCodes: string[] }> {
  const userId = signedInUser(auth);
  return p.db.withTenant({ tenantId: auth.tenantId, userId }, (tx) =>
    confirm(p, tx, userId, auth.tenantId, code),
  );
}

export async function mfaStatus(p: Platform, auth: AuthContext) {
  const userId = signedInUser(auth);
  return p.db.withTenant({ tenantId: auth.tenantId, userId }, async (tx) => {
    const [factor] = await tx.select().from(userMfa).where(eq(userMfa.userId, userId));
    const left = await tx
      .select({ id: mfaRecoveryCodes.id })
      .from(mfaRecoveryCodes)
      .where(and(eq(mfaRecoveryCodes.userId, userId), isNull(mfaRecoveryCodes.usedAt)));
    return {
      enabled: Boolean(factor?.enabledAt),
      enabledAt: factor?.enabledAt?.toISOString() ?? null,
      recoveryCodesLeft: factor?.enabledAt ? left.length : 0,
    };
  });
}

/** Turning MFA off needs a fresh code (or an unused recovery code), not just a session. */
export async function disableMfa(p: Platform, auth: AuthContext, factor: SecondFactor) {
  const userId = signedInUser(auth);
  await p.db.withTenant({ tenantId: auth.tenantId, userId }, async (tx) => {
    await checkSecondFactor(p, tx, userId, factor);
    await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId));
    await tx.delete(userMfa).where(eq(userMfa.userId, userId));
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: `user:${userId}`,
      action: 'mfa.disable',
      target: `user:${userId}`,
      data: { with: factor.code ? 'totp' : 'recovery_code' },
    });
  });
}

/** Sign-in, step two, when the tenant requires MFA and the user has none: enrol with the token. */
export async function enrolDuringSignIn(p: Platform, mfaToken: string): Promise<Enrolment> {
  const c = await verifyChallenge(mfaToken, await signingKey(p), p.now());
  if (c.purpose !== 'enrol') throw new Conflict('MFA is already set up: send a code instead');
  return enrol(p, c.userId, c.tenantId);
}

/**
 * Sign-in, step two: a TOTP code (or a recovery code) for the challenge token. For an enrolment
 * challenge the code confirms the new factor, and the answer also carries the recovery codes.
 */
export async function verifySignIn(
  p: Platform,
  input: { mfaToken: string } & SecondFactor,
  sourceIp = '',
): Promise<SignInResult & { recoveryCodes?: string[] }> {
  const c = await verifyChallenge(input.mfaToken, await signingKey(p), p.now());
  let recoveryCodes: string[] | undefined;
  await p.db.withTenant({ tenantId: c.tenantId, userId: c.userId }, async (tx) => {
    if (c.purpose === 'enrol') {
      if (!input.code)
        throw new ValidationError('code is required to finish enrolment', [
          { path: 'code', message: 'the 6-digit code your authenticator shows' },
        ]);
      recoveryCodes = (await confirm(p, tx, c.userId, c.tenantId, input.code)).recoveryCodes;
    } else await checkSecondFactor(p, tx, c.userId, input);
  });
  // The membership is read again: it may have changed since the password step.
  const member = pickMembership(await userMemberships(p, c.userId), c.tenantId);
  const method = input.recoveryCode ? 'recovery_code' : 'totp';
  const result = await completeSignIn(p, {
    userId: c.userId,
    member,
    method: `${c.method}+${method}`,
    sourceIp,
    mfaDone: true,
  });
  return recoveryCodes ? { ...result, recoveryCodes } : result;
}

function signedInUser(auth: AuthContext): string {
  if (auth.via !== 'token' || !auth.userId)
    throw new Forbidden('MFA belongs to a user: sign in (API keys have no second factor)');
  return auth.userId;
}

async function enrol(p: Platform, userId: string, tenantId: string): Promise<Enrolment> {
  const key = await signingKey(p);
  const secret = generateSecret();
  return p.db.withTenant({ tenantId, userId }, async (tx) => {
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    if (!user) throw new Unauthorized('unknown user');
    const [factor] = await tx.select().from(userMfa).where(eq(userMfa.userId, userId));
    if (factor?.enabledAt)
      throw new Conflict('MFA is already on; disable it first to enrol a new authenticator');
    const sealed = seal(secret, key, SECRET_LABEL);
    await tx
      .insert(userMfa)
      .values({ userId, secretSealed: sealed, createdAt: new Date(p.now()) })
      .onConflictDoUpdate({
        target: userMfa.userId,
        set: { secretSealed: sealed, lastStep: null },
      });
    const otpauthUri = generateURI({ issuer: ISSUER, label: user.email, secret });
    // The QR encoder (qrcode, pngjs) loads on first use: only an enrolment draws one.
    const { default: QRCode } = await import('qrcode');
    const svg = await QRCode.toString(otpauthUri, { type: 'svg', margin: 1 });
    return {
      secret,
      otpauthUri,
      qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
    };
  });
}

async function confirm(
  p: Platform,
  tx: Tx,
  userId: string,
  tenantId: string,
  code: string,
): Promise<{ recoveryCodes: string[] }> {
  const [factor] = await tx.select().from(userMfa).where(eq(userMfa.userId, userId));
  if (!factor) throw new Conflict('no enrolment in progress: start one first');
  if (factor.enabledAt) throw new Conflict('MFA is already on');
  await acceptTotp(p, tx, userId, factor, code);
  await tx
    .update(userMfa)
    .set({ enabledAt: new Date(p.now()) })
    .where(eq(userMfa.userId, userId));
  const key = await signingKey(p);
  const recoveryCodes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
  await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId));
  await tx.insert(mfaRecoveryCodes).values(
    recoveryCodes.map((c) => ({
      userId,
      codeHash: keyedHash(normalise(c), key, RECOVERY_LABEL),
    })),
  );
  await recordAudit(tx, {
    tenantId,
    actor: `user:${userId}`,
    action: 'mfa.enable',
    target: `user:${userId}`,
    data: { factor: 'totp', recoveryCodes: RECOVERY_CODES },
  });
  return { recoveryCodes };
}

/** A TOTP code of the enabled factor, or an unused recovery code (which is then spent). */
async function checkSecondFactor(p: Platform, tx: Tx, userId: string, f: SecondFactor) {
  if (!f.code && !f.recoveryCode)
    throw new ValidationError('a code is required', [
      { path: 'code', message: 'send code (authenticator) or recoveryCode' },
    ]);
  const [factor] = await tx.select().from(userMfa).where(eq(userMfa.userId, userId));
  if (!factor?.enabledAt) throw new Conflict('MFA is not on for this account');
  if (f.code) return acceptTotp(p, tx, userId, factor, f.code);
  await throttle(p, userId);
  const hash = keyedHash(normalise(f.recoveryCode ?? ''), await signingKey(p), RECOVERY_LABEL);
  // Conditional: a recovery code is spent once, even by two concurrent sign-ins.
  const spent = await tx
    .update(mfaRecoveryCodes)
    .set({ usedAt: new Date(p.now()) })
    .where(
      and(
        eq(mfaRecoveryCodes.userId, userId),
        eq(mfaRecoveryCodes.codeHash, hash),
        isNull(mfaRecoveryCodes.usedAt),
      ),
    )
    .returning({ id: mfaRecoveryCodes.id });
  if (!spent.length) throw new Unauthorized('invalid or already used recovery code');
}

async function acceptTotp(
  p: Platform,
  tx: Tx,
  userId: string,
  factor: typeof userMfa.$inferSelect,
  code: string,
): Promise<void> {
  await throttle(p, userId);
  const secret = unseal(factor.secretSealed, await signingKey(p), SECRET_LABEL);
  const epoch = Math.floor(p.now() / 1000);
  // One step either side tolerates clock drift; steps up to the last accepted one are refused, so
  // a code (even one overheard) works once.
  const result = await verify({
    secret,
    token: code,
    epoch,
    epochTolerance: PERIOD,
    afterTimeStep: factor.lastStep ?? undefined,
  }).catch(() => ({ valid: false as const }));
  if (!result.valid || !('timeStep' in result))
    throw new Unauthorized('invalid or already used code');
  const step = result.timeStep;
  await tx.update(userMfa).set({ lastStep: step }).where(eq(userMfa.userId, userId));
}

async function throttle(p: Platform, userId: string): Promise<void> {
  await consume(
    p.dynamo,
    p.config.TABLE_NAME,
    [{ key: `mfa:${userId}`, perMinute: CODE_ATTEMPTS_PER_MINUTE }],
    p.now(),
  );
}

/** Ten 12-character base32 codes in groups of four (60 bits each), e.g. `k3vq-7m2d-x9pa`. */
function newRecoveryCode(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(12);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

const normalise = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '');
