/** Loopback fakes of the LLM providers' wire formats, for driving the real SDKs in tests and benchmarks. */
export * from './http-fake';
export { anthropicWire, createAnthropicFake } from './anthropic';
export { createGeminiFake, geminiWire } from './gemini';
export { createOpenAIFake, openaiWire } from './openai';
