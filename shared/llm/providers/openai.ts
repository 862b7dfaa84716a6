/**
 * OpenAI adapter: Chat Completions on the official `openai` SDK (SDK retries off: Step Functions
 * owns retries). `credentials.baseUrl` (OPENAI_BASE_URL) points it at a proxy; it includes the
 * `/v1` prefix, like the SDK's own default `https://api.openai.com/v1`.
 *
 * Load lazily: `const { createAdapter } = await import('./providers/openai')`.
 */
import type { ProviderAdapter } from '../types';
import type { AdapterOptions } from './common';
import { createChatAdapter } from './openai-chat';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export function createOpenAIAdapter(options: AdapterOptions = {}): ProviderAdapter {
  return createChatAdapter(
    {
      id: 'openai',
      defaultBaseUrl: OPENAI_DEFAULT_BASE_URL,
      keyRequired: true,
      maxTokensField: 'max_completion_tokens',
    },
    options,
  );
}

export const createAdapter = createOpenAIAdapter;
export type { AdapterOptions };
