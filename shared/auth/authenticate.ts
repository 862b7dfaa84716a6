import { sql } from 'drizzle-orm';
import { Unauthorized } from '../errors';
import { rowsOf } from '../db/client';
import type { Platform } from '../platform/platform';
import type { Role } from '../api/contracts/common';
import type { AuthContext } from './context';
import { hashesEqual, parseApiKey, sha256, verifyAccessToken } from './tokens';
import { signingKey } from './signing-key';

/** `Authorization: Bearer <access token | API key>` → who is calling. */
export async function authenticate(p: Platform, header: string | undefined): Promise<AuthContext> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m)
    throw new Unauthorized(
      'missing bearer credentials: send Authorization: Bearer <token or API key>',
    );
  const credential = m[1];
  if (credential.startsWith('hos_')) return authenticateApiKey(p, credential);
  const claims = await verifyAccessToken(credential, await signingKey(p), p.now());
  return { tenantId: claims.tenantId, userId: claims.userId, role: claims.role, via: 'token' };
}

async function authenticateApiKey(p: Platform, key: string): Promise<AuthContext> {
  const parsed = parseApiKey(key);
  if (!parsed) throw new Unauthorized('malformed API key');
  const row = await p.db.withoutTenant(
    async (tx) =>
      rowsOf<{
        id: string;
        tenant_id: string;
        secret_hash: string;
        role: Role;
        expires_at: Date | string | null;
        revoked_at: unknown;
      }>(await tx.execute(sql`select * from auth_find_api_key(${parsed.prefix})`))[0],
  );
  if (!row || !hashesEqual(row.secret_hash, sha256(parsed.secret)))
    throw new Unauthorized('invalid API key');
  if (row.revoked_at) throw new Unauthorized('API key revoked');
  if (row.expires_at && new Date(row.expires_at).getTime() <= p.now())
    throw new Unauthorized('API key expired');
  return { tenantId: row.tenant_id, userId: null, role: row.role, via: 'apiKey', apiKeyId: row.id };
}
