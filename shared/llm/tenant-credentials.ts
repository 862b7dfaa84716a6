import type { RerankKeyProvider } from '../api/contracts/providers';
import type { Platform } from '../platform/platform';
import { registerSecret } from '../observability/logger';
import type { ProviderId } from './model-ref';
import type { ProviderCredentials } from './types';

/** Where a tenant's key for a provider lives in the secret store. */
/** Model providers, and the hosted rerank APIs whose keys are kept the same way (ADR 151). */
export type KeyOwner = ProviderId | RerankKeyProvider;

export function providerSecretId(p: Platform, tenantId: string, provider: KeyOwner): string {
  return `${p.config.TENANT_SECRETS_PREFIX}${tenantId}/providers/${provider}`;
}

export async function tenantProviderCredentials(
  p: Platform,
  tenantId: string,
  provider: KeyOwner,
): Promise<ProviderCredentials | undefined> {
  const raw = await p.secrets.get(providerSecretId(p, tenantId, provider));
  if (!raw) return undefined;
  const parsed = JSON.parse(raw) as ProviderCredentials;
  registerSecret(parsed.apiKey);
  return parsed;
}
