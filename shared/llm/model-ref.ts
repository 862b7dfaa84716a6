import * as z from 'zod';

export const PROVIDERS = ['openai', 'anthropic', 'gemini', 'compatible', 'simulator'] as const;
export type ProviderId = (typeof PROVIDERS)[number];

/**
 * `provider:model`, e.g. `openai:gpt-4.1-mini`. Any model name of a known provider is accepted:
 * providers ship new models every week, and an unpriced model is metered in tokens until priced.
 */
export const ModelRef = z
  .string()
  .max(200)
  .regex(
    /^(openai|anthropic|gemini|compatible|simulator):[A-Za-z0-9._\-/:@]+$/,
    'must be provider:model with provider one of openai, anthropic, gemini, compatible, simulator',
  );
export type ModelRef = z.infer<typeof ModelRef>;

export function parseModelRef(ref: string): { provider: ProviderId; model: string } {
  const i = ref.indexOf(':');
  return { provider: ref.slice(0, i) as ProviderId, model: ref.slice(i + 1) };
}
