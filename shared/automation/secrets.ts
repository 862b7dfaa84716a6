/**
 * Where a trigger's secrets live. The secret store adapter caches reads for a short TTL, so a
 * webhook answer does not pay a Secrets Manager round trip per delivery.
 */
import type { TriggerCredentials } from '../api/contracts/triggers';
import { registerSecret } from '../observability/logger';
import type { Platform } from '../platform/platform';

export const webhookSecretId = (p: Platform, tenantId: string, triggerId: string) =>
  `${p.config.TENANT_SECRETS_PREFIX}${tenantId}/triggers/${triggerId}`;
export const credentialsSecretId = (p: Platform, tenantId: string, triggerId: string) =>
  `${webhookSecretId(p, tenantId, triggerId)}/credentials`;

export async function webhookSecret(
  p: Platform,
  tenantId: string,
  triggerId: string,
): Promise<string | undefined> {
  const value = await p.secrets.get(webhookSecretId(p, tenantId, triggerId));
  registerSecret(value);
  return value;
}

export async function putWebhookSecret(
  p: Platform,
  tenantId: string,
  triggerId: string,
  secret: string,
): Promise<void> {
  registerSecret(secret);
  await p.secrets.put(webhookSecretId(p, tenantId, triggerId), secret);
}

export async function putCredentials(
  p: Platform,
  tenantId: string,
  triggerId: string,
  credentials: TriggerCredentials,
): Promise<void> {
  for (const v of Object.values(credentials)) if (typeof v === 'string') registerSecret(v);
  await p.secrets.put(credentialsSecretId(p, tenantId, triggerId), JSON.stringify(credentials));
}

export async function triggerCredentials(
  p: Platform,
  tenantId: string,
  triggerId: string,
): Promise<TriggerCredentials | undefined> {
  const raw = await p.secrets.get(credentialsSecretId(p, tenantId, triggerId));
  if (!raw) return undefined;
  const parsed = JSON.parse(raw) as TriggerCredentials;
  for (const v of Object.values(parsed)) if (typeof v === 'string') registerSecret(v);
  return parsed;
}

export async function deleteTriggerSecrets(
  p: Platform,
  tenantId: string,
  triggerId: string,
  which: 'all' | 'credentials' = 'all',
): Promise<void> {
  await p.secrets.delete(credentialsSecretId(p, tenantId, triggerId));
  if (which === 'all') {
    await p.secrets.delete(webhookSecretId(p, tenantId, triggerId));
  }
}

/** What the API may show of credentials: their kind and a hint, never a secret part. */
export function credentialsHint(c: TriggerCredentials): string {
  // By code point: slicing UTF-16 units could split a character into an unstorable half.
  if (c.type === 'token') return `…${[...c.token].slice(-4).join('')}`;
  if (c.type === 'app')
    return `app ${c.appId}${c.installationId ? `, installation ${c.installationId}` : ''}`;
  return c.email;
}
