/**
 * "Call this agent's model chain, attempt n": picks the model for the attempt, resolves credentials,
 * stands the offline simulator in for providers without a key (and says so), times the call and
 * classifies the outcome. One call = one attempt; Step Functions owns retries, so every attempt is
 * visible and metered.
 */
import { isAppError, InternalError, ProviderNotConfigured } from '../errors';
import type { Config } from '../config';
import { parseModelRef, type ProviderId } from './model-ref';
import type {
  CallOptions,
  ModelCallRequest,
  ModelCallResult,
  ProviderAdapter,
  ProviderCredentials,
} from './types';
import { createSimulator } from './providers/simulator';

export interface AttemptOutcome {
  /** The provider that actually answered (`simulator` when it stood in). */
  provider: ProviderId;
  /** The model asked for, e.g. `gpt-4.1-mini`. */
  model: string;
  /** The chain entry this attempt used. */
  modelRef: string;
  simulated: boolean;
  latencyMs: number;
  result?: ModelCallResult;
  error?: Error;
}

export interface GatewayDeps {
  config: Config;
  /** Tenant-stored key for a provider, if any (Secrets Manager / local store). */
  tenantCredentials(provider: ProviderId): Promise<ProviderCredentials | undefined>;
  now?: () => number;
}

/** Which chain entry attempt `n` (1-based) uses: the primary first, then each fallback in turn. */
export function modelForAttempt(chain: string[], attempt: number): string {
  return chain[Math.min(Math.max(attempt, 1) - 1, chain.length - 1)];
}

/** A chain entry with its credentials resolved: who answers, with whose key. */
export interface ResolvedEntry {
  modelRef: string;
  provider: ProviderId;
  model: string;
  /** No key for the provider (or `simulator:` itself): the offline simulator answers. */
  simulated: boolean;
  /** Whose key: the tenant's own, the platform's (environment), or none (simulator). */
  keySource: 'tenant' | 'env' | 'none';
  /** Never logged, never returned, never put in an error. */
  credentials: ProviderCredentials;
}

/**
 * Who answers a chain entry. Without a key the simulator stands in, if the deployment allows it;
 * otherwise this throws ProviderNotConfigured (the step-call skips the entry and tries the chain).
 */
export async function resolveEntry(deps: GatewayDeps, modelRef: string): Promise<ResolvedEntry> {
  const { provider, model } = parseModelRef(modelRef);
  const simulated = (): ResolvedEntry => {
    if (!deps.config.SIMULATOR_ALLOWED)
      throw new ProviderNotConfigured(
        provider === 'simulator'
          ? `${modelRef} is the offline simulator, which this deployment does not allow (deploy with -c allowSimulator=true to allow it)`
          : `no API key for ${provider}: an admin sets one with PUT /v1/providers/${provider}/key (the simulator is not allowed in this deployment)`,
      );
    return { modelRef, provider, model, simulated: true, keySource: 'none', credentials: {} };
  };
  if (provider === 'simulator') return simulated();
  const stored = await deps.tenantCredentials(provider);
  if (stored?.apiKey)
    return {
      modelRef,
      provider,
      model,
      simulated: false,
      keySource: 'tenant',
      credentials: { ...envCredentials(deps.config, provider), ...definedOnly(stored) },
    };
  const env = envCredentials(deps.config, provider);
  if (env?.apiKey)
    return { modelRef, provider, model, simulated: false, keySource: 'env', credentials: env };
  return simulated();
}

/** One call on a resolved entry: time it and classify the outcome (never throws). */
export async function invokeEntry(
  deps: GatewayDeps,
  entry: ResolvedEntry,
  request: Omit<ModelCallRequest, 'model'>,
  attempt: number,
  callOptions?: CallOptions,
): Promise<AttemptOutcome> {
  const adapter = entry.simulated
    ? createSimulator({ latencyMs: deps.config.SIMULATOR_LATENCY_MS, attempt: () => attempt })
    : await loadAdapter(entry.provider);
  const now = deps.now ?? Date.now;
  const provider: ProviderId = entry.simulated ? 'simulator' : entry.provider;
  const base = {
    provider,
    model: entry.model,
    modelRef: entry.modelRef,
    simulated: entry.simulated,
  };
  const started = now();
  try {
    const result = await adapter.call(
      { ...request, model: entry.model },
      entry.credentials,
      callOptions,
    );
    return { ...base, latencyMs: now() - started, result };
  } catch (e) {
    const error = isAppError(e)
      ? e
      : new InternalError('provider adapter failed unexpectedly', { cause: e });
    return { ...base, latencyMs: now() - started, error };
  }
}

export async function callAttempt(
  deps: GatewayDeps,
  chain: string[],
  attempt: number,
  request: Omit<ModelCallRequest, 'model'>,
): Promise<AttemptOutcome> {
  return invokeEntry(
    deps,
    await resolveEntry(deps, modelForAttempt(chain, attempt)),
    request,
    attempt,
  );
}

function definedOnly(c: ProviderCredentials): ProviderCredentials {
  return Object.fromEntries(
    Object.entries(c).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  ) as ProviderCredentials;
}

/** The platform's own credentials for a provider, from the environment (shared/config). */
export function envCredentials(c: Config, provider: ProviderId): ProviderCredentials | undefined {
  switch (provider) {
    case 'openai':
      return { apiKey: c.OPENAI_API_KEY, baseUrl: c.OPENAI_BASE_URL };
    case 'anthropic':
      return { apiKey: c.ANTHROPIC_API_KEY, baseUrl: c.ANTHROPIC_BASE_URL };
    case 'gemini':
      return { apiKey: c.GEMINI_API_KEY, baseUrl: c.GEMINI_BASE_URL };
    // Local OpenAI-compatible servers (Ollama, vLLM) often need no key: a base URL is enough.
    case 'compatible':
      return {
        apiKey: c.COMPATIBLE_API_KEY ?? (c.COMPATIBLE_BASE_URL ? 'none' : undefined),
        baseUrl: c.COMPATIBLE_BASE_URL,
      };
    default:
      return undefined;
  }
}

/** Adapters load lazily: a step that only uses Anthropic never loads the OpenAI or Gemini SDK. */
const loaders: Partial<Record<ProviderId, () => Promise<ProviderAdapter>>> = {
  openai: () => import('./providers/openai').then((m) => m.createAdapter()),
  anthropic: () => import('./providers/anthropic').then((m) => m.createAdapter()),
  gemini: () => import('./providers/gemini').then((m) => m.createAdapter()),
  compatible: () => import('./providers/compatible').then((m) => m.createAdapter()),
};

export function registerAdapterLoader(
  provider: ProviderId,
  load: () => Promise<ProviderAdapter>,
): void {
  loaders[provider] = load;
  adapters.delete(provider);
}

const adapters = new Map<ProviderId, Promise<ProviderAdapter>>();

async function loadAdapter(provider: ProviderId): Promise<ProviderAdapter> {
  const load = loaders[provider];
  if (!load) throw new InternalError(`no adapter for provider ${provider}`);
  let adapter = adapters.get(provider);
  if (!adapter) {
    adapter = load();
    adapters.set(provider, adapter);
  }
  return adapter;
}
