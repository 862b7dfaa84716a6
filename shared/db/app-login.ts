/**
 * Gives the application's database user (`hishamos_api`, created by migration 0007) its login and
 * password. The password travels as a SCRAM-SHA-256 verifier computed here, so the plain password
 * never reaches the server (nor its statement log); Postgres stores a verifier it is handed as is.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import * as z from 'zod';
import { ValidationError } from '../errors';
import type { Drizzle } from './client';
import { rowsOf } from './client';

export const APP_LOGIN_ROLE = 'hishamos_api';
const SCRAM_ITERATIONS = 4096;

/** The Secrets Manager value the Data API authenticates with: `{username, password, ...}`. */
export const AppLoginSecret = z
  .object({ username: z.literal(APP_LOGIN_ROLE), password: z.string().min(20) })
  .loose();

/** `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` (RFC 5802/7677, as Postgres stores it). */
export function scramVerifier(
  password: string,
  salt: Buffer = randomBytes(16),
  iterations = SCRAM_ITERATIONS,
): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** LOGIN with the secret's password; idempotent (every deploy sets it, so a rotated secret applies). */
export async function provisionAppLogin(owner: Drizzle, secretText: string): Promise<void> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretText);
  } catch {
    throw new ValidationError('the app database secret is not JSON');
  }
  const secret = AppLoginSecret.safeParse(parsed);
  if (!secret.success)
    throw new ValidationError(
      `the app database secret must be {"username":"${APP_LOGIN_ROLE}","password":"<20+ characters>"}`,
    );
  // format() quotes the verifier; the statement it returns carries no plain password.
  const [{ stmt }] = rowsOf<{ stmt: string }>(
    await owner.execute(
      sql`select format('ALTER ROLE %I WITH LOGIN PASSWORD %L', ${APP_LOGIN_ROLE}::text, ${scramVerifier(secret.data.password)}::text) as stmt`,
    ),
  );
  await owner.execute(sql.raw(stmt));
}
