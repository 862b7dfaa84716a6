import type { Role } from '../api/contracts/common';

/** Who is calling, after authentication. Domain code receives this, never a raw token. */
export interface AuthContext {
  tenantId: string;
  userId: string | null;
  role: Role;
  via: 'token' | 'apiKey';
  apiKeyId?: string;
  /** For an API key: the member it belongs to (it acts with at most their current role). */
  ownerId?: string;
  /** A system actor (e.g. `trigger:<id>` for webhook-started runs); wins over `via` in audit. */
  actor?: string;
}

/** The audit actor string: `user:<id>` or `apikey:<id>`. */
export function actorOf(auth: AuthContext): string {
  if (auth.actor) return auth.actor;
  return auth.via === 'apiKey' ? `apikey:${auth.apiKeyId}` : `user:${auth.userId}`;
}
