/**
 * A tenant's provider keys (ADR 014). The key goes to the secret store (Secrets Manager in AWS, the
 * encrypted local store locally) at `providerSecretId`; Postgres keeps only `last4`, the base URL and
 * who set it when. The key is never returned, logged (it is registered with the log scrubber before
 * anything else happens) or put in an error; every change is audited (without the key).
 */
import { and, eq } from 'drizzle-orm';
import type * as z from 'zod';
import type { ProviderStatus } from '../api/contracts/providers';
import {
  KEYED_PROVIDERS,
  RERANK_PROVIDERS,
  type RerankKeyProvider,
} from '../api/contracts/providers';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import { providerKeys } from '../db/schema-gateway';
import { NotFound } from '../errors';
import { registerSecret } from '../observability/logger';
import type { Platform } from '../platform/platform';
import { CircuitBreaker, breakerOptions } from './circuit-breaker';
import { envCredentials } from './gateway';
import { providerSecretId } from './tenant-credentials';

type Status = z.infer<typeof ProviderStatus>;
type Keyed = (typeof KEYED_PROVIDERS)[number];

const DEFAULT_BASE_URL: Record<Keyed, string | undefined> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
  compatible: undefined,
  cohere: 'https://api.cohere.com',
  voyage: 'https://api.voyageai.com',
  jina: 'https://api.jina.ai',
};

const isRerank = (provider: Keyed): provider is RerankKeyProvider =>
  (RERANK_PROVIDERS as readonly string[]).includes(provider);

/** The platform's own key for a rerank API (COHERE_API_KEY, …), as `envCredentials` is for models. */
export function rerankEnvCredentials(
  c: Platform['config'],
  provider: RerankKeyProvider,
): { apiKey?: string; baseUrl?: string } {
  return {
    cohere: { apiKey: c.COHERE_API_KEY, baseUrl: c.COHERE_BASE_URL },
    voyage: { apiKey: c.VOYAGE_API_KEY, baseUrl: c.VOYAGE_BASE_URL },
    jina: { apiKey: c.JINA_API_KEY, baseUrl: c.JINA_BASE_URL },
  }[provider];
}

export const lastFour = (key: string) => `…${key.slice(-4)}`;

export async function listProviders(p: Platform, auth: AuthContext): Promise<Status[]> {
  const rows = await p.db.withTenant(auth, (tx) =>
    tx.select().from(providerKeys).where(eq(providerKeys.tenantId, auth.tenantId)),
  );
  const breaker = new CircuitBreaker(p.dynamo, p.config.TABLE_NAME, breakerOptions(p.config));
  return Promise.all(
    KEYED_PROVIDERS.map(async (provider): Promise<Status> => {
      const own = rows.find((r) => r.provider === provider);
      const rerank = isRerank(provider);
      const env = rerank
        ? rerankEnvCredentials(p.config, provider)
        : envCredentials(p.config, provider);
      const configured = own ? 'tenant' : env?.apiKey ? 'env' : 'none';
      const circuit =
        configured === 'none'
          ? 'closed'
          : await breaker.state(
              CircuitBreaker.key(
                provider,
                configured === 'tenant' ? `tenant:${auth.tenantId}` : 'env',
              ),
              p.now(),
            );
      return {
        provider,
        kind: rerank ? 'rerank' : 'models',
        configured,
        // No simulator stands in for a rerank API: a search asking for one without a key is a 4xx.
        simulated: configured === 'none' && !rerank,
        ...(own ? { last4: `…${own.last4}`, setAt: own.setAt.toISOString() } : {}),
        ...((own?.baseUrl ?? env?.baseUrl ?? DEFAULT_BASE_URL[provider])
          ? { baseUrl: own?.baseUrl ?? env?.baseUrl ?? DEFAULT_BASE_URL[provider] }
          : {}),
        circuit,
        ...(configured === 'none'
          ? {
              note: rerank
                ? 'no key: searches that ask for this reranker are refused'
                : 'no key: the offline simulator answers for this provider',
            }
          : {}),
      };
    }),
  );
}

export async function putProviderKey(
  p: Platform,
  auth: AuthContext,
  provider: Keyed,
  input: { apiKey: string; baseUrl?: string },
): Promise<Status> {
  registerSecret(input.apiKey);
  const secretId = providerSecretId(p, auth.tenantId, provider);
  const previous = await p.secrets.get(secretId);
  let secretWritten = false;
  try {
    await p.db.withTenant(auth, async (tx) => {
      const last4 = input.apiKey.slice(-4);
      const values = {
        tenantId: auth.tenantId,
        provider,
        last4,
        baseUrl: input.baseUrl ?? null,
        setBy: actorOf(auth),
        setAt: new Date(p.now()),
      };
      await tx
        .insert(providerKeys)
        .values(values)
        .onConflictDoUpdate({
          target: [providerKeys.tenantId, providerKeys.provider],
          set: { last4, baseUrl: values.baseUrl, setBy: values.setBy, setAt: values.setAt },
        });
      await recordAudit(tx, {
        tenantId: auth.tenantId,
        actor: actorOf(auth),
        action: 'provider.key.set',
        target: `provider:${provider}`,
        data: {
          provider,
          last4: lastFour(input.apiKey),
          ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
        },
      });
      // The secret is written last, inside the transaction: a failed secret write rolls the rows
      // back, and a failed commit is compensated below, so a failure leaves the old key in use.
      secretWritten = true;
      await p.secrets.put(
        secretId,
        JSON.stringify({
          apiKey: input.apiKey,
          ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
        }),
      );
    });
  } catch (error) {
    if (secretWritten)
      await (previous === undefined
        ? p.secrets.delete(secretId)
        : p.secrets.put(secretId, previous)
      ).catch((e) =>
        p.log.error('could not restore the previous provider key', { provider, error: e }),
      );
    throw error;
  }
  const status = (await listProviders(p, auth)).find((s) => s.provider === provider);
  if (!status) throw new Error(`internal: provider ${provider} missing from its own list`);
  return status;
}

export async function deleteProviderKey(
  p: Platform,
  auth: AuthContext,
  provider: Keyed,
): Promise<void> {
  const removed = await p.db.withTenant(auth, async (tx) => {
    const rows = await tx
      .delete(providerKeys)
      .where(and(eq(providerKeys.tenantId, auth.tenantId), eq(providerKeys.provider, provider)))
      .returning({ last4: providerKeys.last4 });
    if (rows.length)
      await recordAudit(tx, {
        tenantId: auth.tenantId,
        actor: actorOf(auth),
        action: 'provider.key.delete',
        target: `provider:${provider}`,
        data: { provider, last4: `…${rows[0].last4}` },
      });
    return rows.length > 0;
  });
  await p.secrets.delete(providerSecretId(p, auth.tenantId, provider));
  if (!removed) throw new NotFound(`no ${provider} key is stored for this tenant`);
}
