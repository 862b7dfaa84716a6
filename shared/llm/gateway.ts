/**
 * "Call this agent's model chain, attempt n": picks the model for the attempt, resolves credentials,
 * stands the offline simulator in for providers without a key (and says so), times the call and
 * classifies the outcome. One call = one attempt; Step Functions owns retries, so every attempt is
 * visible and metered.
 */
import { isAppError, InternalError } from '../errors';
import type { Config } from '../config';
import { parseModelRef, type ProviderId } from './model-ref';
import type { ModelCallRequest, ModelCallResult, ProviderAdapter, ProviderCredentials } from './types';
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

export async function callAttempt(deps: GatewayDeps, chain: string[], attempt: number, request: Omit<ModelCallRequest, 'model'>): Promise<AttemptOutcome> {
  const modelRef = modelForAttempt(chain, attempt);
  const { provider, model } = parseModelRef(modelRef);
  const credentials = provider === 'simulator' ? {} : await credentialsFor(deps, provider);
  const simulated = provider === 'simulator' || !credentials;
  const adapter = simulated ? createSimulator({ latencyMs: deps.config.SIMULATOR_LATENCY_MS, attempt: () => attempt }) : await loadAdapter(provider);
  const now = deps.now ?? Date.now;
  const started = now();
  try {
    const result = await adapter.call({ ...request, model }, credentials ?? {});
    return { provider: simulated ? 'simulator' : provider, model, modelRef, simulated, latencyMs: now() - started, result };
  } catch (e) {
    const error = isAppError(e) ? e : new InternalError('provider adapter failed unexpectedly', { cause: e });
    return { provider: simulated ? 'simulator' : provider, model, modelRef, simulated, latencyMs: now() - started, error };
  }
}

async function credentialsFor(deps: GatewayDeps, provider: ProviderId): Promise<ProviderCredentials | undefined> {
  const stored = await deps.tenantCredentials(provider);
  if (stored?.apiKey) return stored;
  const c = deps.config;
  const env: Record<string, ProviderCredentials> = {
    openai: { apiKey: c.OPENAI_API_KEY, baseUrl: c.OPENAI_BASE_URL },
    anthropic: { apiKey: c.ANTHROPIC_API_KEY, baseUrl: c.ANTHROPIC_BASE_URL },
    gemini: { apiKey: c.GEMINI_API_KEY, baseUrl: c.GEMINI_BASE_URL },
    // Local OpenAI-compatible servers (Ollama, vLLM) often need no key: a base URL is enough.
    compatible: { apiKey: c.COMPATIBLE_API_KEY ?? (c.COMPATIBLE_BASE_URL ? 'none' : undefined), baseUrl: c.COMPATIBLE_BASE_URL },
  };
  const found = env[provider];
  return found?.apiKey ? found : undefined;
}

/** Adapters load lazily: a step that only uses Anthropic never loads the OpenAI or Gemini SDK. */
const loaders: Partial<Record<ProviderId, () => Promise<ProviderAdapter>>> = {
  openai: () => import('./providers/openai').then((m) => m.createAdapter()),
  anthropic: () => import('./providers/anthropic').then((m) => m.createAdapter()),
  gemini: () => import('./providers/gemini').then((m) => m.createAdapter()),
  compatible: () => import('./providers/compatible').then((m) => m.createAdapter()),
};

export function registerAdapterLoader(provider: ProviderId, load: () => Promise<ProviderAdapter>): void {
  loaders[provider] = load;
  adapters.delete(provider);
}

const adapters = new Map<ProviderId, Promise<ProviderAdapter>>();

async function loadAdapter(provider: ProviderId): Promise<ProviderAdapter> {
  const load = loaders[provider];
  if (!load) throw new InternalError(`no adapter for provider ${provider}`);
  let adapter = adapters.get(provider);
  if (!adapter) adapters.set(provider, (adapter = load()));
  return adapter;
}
