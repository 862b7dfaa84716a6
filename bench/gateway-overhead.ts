/**
 * LLM gateway overhead: the same chat completion against the same loopback OpenAI fake, (a) through
 * the official `openai` SDK directly (one client, retries off) and (b) through the gateway
 * (`callAttempt`: chain entry → credentials → lazily loaded adapter → request mapping → SDK →
 * usage mapping and failure classification). Calls alternate a/b so both see the same machine noise.
 *
 *   npx tsx bench/gateway-overhead.ts [calls=3000]
 */
import OpenAI from 'openai';
import { parseConfig } from '../shared/config';
import { callAttempt } from '../shared/llm/gateway';
import { createOpenAIFake } from '../test/fakes/providers';

const N = Number(process.argv[2] ?? 3000);
const WARMUP = 300;
const KEY = 'tk-bench-key-0123456789';

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const fake = await createOpenAIFake({ apiKey: KEY });
  const config = parseConfig({
    OPENAI_API_KEY: KEY,
    OPENAI_BASE_URL: fake.baseUrl,
    LOG_LEVEL: 'silent',
  });
  const deps = { config, tenantCredentials: async () => undefined };
  const request = {
    system: 'You are terse.',
    messages: [{ role: 'user' as const, content: 'Say hello.' }],
    temperature: 0,
    maxTokens: 64,
  };
  const client = new OpenAI({ apiKey: KEY, baseURL: fake.baseUrl, maxRetries: 0 });
  const direct = () =>
    client.chat.completions.create(
      {
        model: 'gpt-4.1-mini',
        messages: [
          { role: 'system', content: request.system },
          { role: 'user', content: 'Say hello.' },
        ],
        temperature: 0,
        max_completion_tokens: 64,
      },
      { timeout: 60_000, maxRetries: 0 },
    );
  const viaGateway = async () => {
    const out = await callAttempt(deps, ['openai:gpt-4.1-mini'], 1, request);
    if (out.error) throw out.error;
    return out;
  };

  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < WARMUP + N; i++) {
    const order =
      i % 2 === 0
        ? [
            [direct, a],
            [viaGateway, b],
          ]
        : [
            [viaGateway, b],
            [direct, a],
          ];
    for (const [fn, into] of order as Array<[() => Promise<unknown>, number[]]>) {
      const t0 = performance.now();
      await fn();
      const dt = performance.now() - t0;
      if (i >= WARMUP) into.push(dt);
    }
  }
  await fake.close();
  a.sort((x, y) => x - y);
  b.sort((x, y) => x - y);
  const row = (name: string, s: number[]) =>
    `| ${name} | ${s.length} | ${pct(s, 50).toFixed(3)} | ${pct(s, 99).toFixed(3)} | ${(s.reduce((x, y) => x + y, 0) / s.length).toFixed(3)} |`;
  console.log(
    `node ${process.version}, ${N} calls each after ${WARMUP} warm-up, loopback OpenAI fake`,
  );
  console.log('| path | calls | p50 ms | p99 ms | mean ms |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(row('openai SDK direct', a));
  console.log(row('gateway (callAttempt)', b));
  console.log(
    `overhead: p50 ${(pct(b, 50) - pct(a, 50)).toFixed(3)} ms, p99 ${(pct(b, 99) - pct(a, 99)).toFixed(3)} ms, mean ${((b.reduce((x, y) => x + y, 0) - a.reduce((x, y) => x + y, 0)) / N).toFixed(3)} ms`,
  );
  if (fake.violations.length) console.log('fake violations:', fake.violations.slice(0, 3));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
