import type { Platform } from '../platform/platform';
import { registerSecret } from '../observability/logger';

let cached: { key: Uint8Array; until: number } | undefined;

/** The HS256 key from the secret store (Secrets Manager in AWS), cached briefly. */
export async function signingKey(p: Platform): Promise<Uint8Array> {
  if (cached && cached.until > Date.now()) return cached.key;
  const value = await p.secrets.get(p.config.JWT_SECRET_ID);
  if (!value || value.length < 32)
    throw new Error('JWT signing key is missing or shorter than 32 characters');
  registerSecret(value);
  cached = { key: new TextEncoder().encode(value), until: Date.now() + 5 * 60_000 };
  return cached.key;
}

export function forgetSigningKey(): void {
  cached = undefined;
}
