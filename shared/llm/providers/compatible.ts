/**
 * OpenAI-compatible adapter (Ollama, vLLM, LM Studio, any server speaking
 * `POST {baseURL}/chat/completions`): the official `openai` SDK with a required base URL
 * (COMPATIBLE_BASE_URL, including the `/v1` prefix, e.g. `http://localhost:11434/v1`). The key is
 * optional: local servers usually ignore it, so a placeholder Bearer token is sent when none is set.
 * Uses `max_tokens` (what these servers understand) instead of OpenAI's `max_completion_tokens`.
 *
 * Load lazily: `const { createAdapter } = await import('./providers/compatible')`.
 */
import type { ProviderAdapter } from '../types';
import type { AdapterOptions } from './common';
import { createChatAdapter } from './openai-chat';

import { COMPATIBLE_PLACEHOLDER_KEY } from './common';

export { COMPATIBLE_PLACEHOLDER_KEY };

export function createCompatibleAdapter(options: AdapterOptions = {}): ProviderAdapter {
  return createChatAdapter(
    {
      id: 'compatible',
      keyRequired: false,
      maxTokensField: 'max_tokens',
      placeholderKey: COMPATIBLE_PLACEHOLDER_KEY,
    },
    options,
  );
}

export const createAdapter = createCompatibleAdapter;
export type { AdapterOptions };
