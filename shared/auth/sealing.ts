/**
 * Server-side keys derived from the signing key (HKDF, one label per purpose): TOTP secrets are
 * sealed with AES-256-GCM and recovery codes are stored as HMACs, so a copy of the database alone
 * neither reveals a factor nor lets anyone brute-force a recovery code offline (ADR 060).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const derive = (key: Uint8Array, label: string) =>
  Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `hishamos/${label}/v1`, 32));

export function seal(plain: string, key: Uint8Array, label: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derive(key, label), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv, data, cipher.getAuthTag()]
    .map((x) => (typeof x === 'string' ? x : x.toString('base64url')))
    .join('.');
}

export function unseal(sealed: string, key: Uint8Array, label: string): string {
  const [v, iv, data, tag] = sealed.split('.');
  if (v !== 'v1' || !iv || !data || !tag) throw new Error('unknown sealed value format');
  const decipher = createDecipheriv(
    'aes-256-gcm',
    derive(key, label),
    Buffer.from(iv, 'base64url'),
  );
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([
    decipher.update(Buffer.from(data, 'base64url')),
    decipher.final(),
  ]).toString('utf8');
}

export function keyedHash(value: string, key: Uint8Array, label: string): string {
  return createHmac('sha256', derive(key, label)).update(value).digest('base64url');
}
