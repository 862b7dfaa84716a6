import * as z from 'zod';
import { urlProblem } from '../../net/outbound';

/** Hosted rerank APIs a tenant can store a key for (ADR 151); `compatible` serves `/rerank` too. */
export const RERANK_PROVIDERS = ['cohere', 'voyage', 'jina'] as const;
export type RerankKeyProvider = (typeof RERANK_PROVIDERS)[number];
/** Providers a tenant can store a key for (`simulator` needs none). */
export const KEYED_PROVIDERS = [
  'openai',
  'anthropic',
  'gemini',
  'compatible',
  ...RERANK_PROVIDERS,
] as const;
export const KeyedProvider = z.enum(KEYED_PROVIDERS);
export const ProviderParams = z.object({ provider: KeyedProvider });

/**
 * A provider base URL: https, or plain http to a loopback host (a local Ollama / vLLM / test fake,
 * in the local runtime). Internal addresses and metadata hosts are refused here by their literal
 * form, and again at connect time by the guarded client once the name is resolved (ADR 052).
 */
export const ProviderBaseUrl = z
  .url()
  .max(500)
  .superRefine((value, ctx) => {
    const problem = urlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const ProviderKeyBody = z
  .object({
    apiKey: z
      .string()
      .min(8, 'an API key has at least 8 characters')
      .max(500)
      // Provider keys are printable ASCII; anything else is a paste error (and last4 must not split a character).
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII without whitespace'),
    baseUrl: ProviderBaseUrl.optional(),
  })
  .strict();

export const ProviderStatus = z.object({
  provider: KeyedProvider,
  /** What the key is for: model calls and embeddings, or reranking only (cohere, voyage, jina). */
  kind: z.enum(['models', 'rerank']),
  /** Whose key calls this provider: the tenant's own, the platform's environment, or none (the offline simulator stands in). */
  configured: z.enum(['tenant', 'env', 'none']),
  simulated: z.boolean(),
  /** `…abcd` for a tenant key; never the key. */
  last4: z.string().optional(),
  setAt: z.string().optional(),
  baseUrl: z.string().optional(),
  circuit: z.enum(['closed', 'open', 'half_open']),
  note: z.string().optional(),
});

export const PriceParams = z.object({
  provider: z.enum(['openai', 'anthropic', 'gemini', 'compatible']),
  model: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._\-:@]+$/, 'a model name'),
});
const PerMtok = z.number().min(0).max(10_000);
export const PriceBody = z
  .object({
    inputPerMtok: PerMtok,
    outputPerMtok: PerMtok,
    /** Defaults to inputPerMtok (no cache discount). */
    cachedInputPerMtok: PerMtok.optional(),
    effectiveFrom: z.iso.datetime({ offset: true }).optional(),
    note: z.string().max(500).optional(),
  })
  .strict();
export const Price = z.object({
  provider: z.string(),
  model: z.string(),
  version: z.number().int(),
  inputPerMtok: z.number(),
  outputPerMtok: z.number(),
  cachedInputPerMtok: z.number(),
  effectiveFrom: z.string(),
  source: z.enum(['platform', 'tenant']),
  note: z.string().optional(),
});
