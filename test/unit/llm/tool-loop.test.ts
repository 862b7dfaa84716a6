/**
 * The pure parts of the tool-calling loop (ADR 130): tool results are bounded and scrubbed of the
 * credentials a tool used, the model sees provider-safe tool names, calls of one turn run
 * together and a call of a tool that was not offered is answered with an error, and the simulator
 * scripts one tool call from the prompt before answering with the result.
 */
import { describe, expect, it } from '@jest/globals';
import { createSimulator } from '../../../shared/llm/providers/simulator';
import { conversation, newTurn, runPendingCalls } from '../../../shared/llm/tool-loop';
import {
  agentToolProblem,
  toolDefinitions,
  toolForWireName,
} from '../../../shared/tools/agent-tools/catalog';
import { MAX_RESULT_CHARS, boundResult } from '../../../shared/tools/agent-tools/execute';

describe('tool results', () => {
  it('are cut at the bound with a note, and never carry the credentials the tool used', () => {
    // Prepare
    const secret = 'ghp_SecretToken123456';
    const text = `token ${secret} then ${'x'.repeat(MAX_RESULT_CHARS)}`;
    // Act
    const out = boundResult(text, [secret]);
    // Assess
    expect(out.content).not.toContain(secret);
    expect(out.content.startsWith('token [redacted] then')).toBe(true);
    expect(out.truncated).toBe(true);
    expect(out.content).toMatch(/\[truncated: \d+ more characters\]$/);
    expect(out.content.length).toBeLessThan(MAX_RESULT_CHARS + 60);
  });

  it('under the bound stay whole', () => {
    expect(boundResult('short')).toEqual({ content: 'short', size: 5, truncated: false });
  });
});

describe('the catalog', () => {
  it('offers provider-safe names and maps them back', () => {
    const defs = toolDefinitions(['knowledge.search', 'github.get_file']);
    expect(defs.map((d) => d.name)).toEqual(['knowledge_search', 'github_get_file']);
    expect(defs.every((d) => /^[a-zA-Z0-9_-]{1,64}$/.test(d.name))).toBe(true);
    expect(toolForWireName(['knowledge.search'], 'knowledge_search')).toBe('knowledge.search');
    expect(toolForWireName(['knowledge.search'], 'http_get')).toBeUndefined();
  });

  it('names what is wrong with a tool name', () => {
    expect(agentToolProblem('http.get')).toBeUndefined();
    expect(agentToolProblem('rm -rf')).toContain('unknown tool "rm -rf"');
    expect(agentToolProblem('workflow:triage')).toContain('not yet supported');
  });
});

describe('a turn', () => {
  it('runs its calls together; a tool that was not offered gets an error result', async () => {
    // Prepare: two calls; the executor finishes them in the reverse order
    const turn = newTurn(
      1,
      '',
      [
        { id: 'a', name: 'http_get', arguments: { url: 'https://example.com/' } },
        { id: 'b', name: 'knowledge_search', arguments: { query: 'q' } },
        { id: 'c', name: 'shell_exec', arguments: {} },
      ],
      ['http.get', 'knowledge.search'],
    );
    const started: string[] = [];
    // Act
    await runPendingCalls(turn, async (tool) => {
      started.push(tool);
      await new Promise((r) => setTimeout(r, tool === 'http.get' ? 20 : 1));
      return { content: `${tool} ok`, isError: false, size: 5, truncated: false, durationMs: 1 };
    });
    // Assess: both started before either finished; results land on their own calls
    expect(started).toEqual(['http.get', 'knowledge.search']);
    expect(turn.calls.map((c) => [c.id, c.result, c.isError])).toEqual([
      ['a', 'http.get ok', false],
      ['b', 'knowledge.search ok', false],
      ['c', 'UnknownTool: "shell_exec" is not one of this agent\'s tools', true],
    ]);
    const messages = conversation('prompt', [turn]);
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[2].toolResults?.map((r) => r.callId)).toEqual(['a', 'b', 'c']);
  });
});

describe('the simulator', () => {
  it('calls the first offered tool with arguments from the prompt, then answers quoting the result', async () => {
    // Prepare
    const sim = createSimulator({ latencyMs: 0 });
    const tools = toolDefinitions(['http.get']);
    const prompt = 'Summarise https://example.org/page for me';
    // Act
    const first = await sim.call(
      { model: 'echo', tools, messages: [{ role: 'user', content: prompt }] },
      {},
    );
    const turn = newTurn(1, first.text, first.toolCalls, ['http.get']);
    turn.calls[0].result = 'HTTP 200 hello page';
    const second = await sim.call(
      { model: 'echo', tools, messages: conversation(prompt, [turn]) },
      {},
    );
    // Assess
    expect(first.toolCalls).toEqual([
      { id: 'sim_call_1', name: 'http_get', arguments: { url: 'https://example.org/page' } },
    ]);
    expect(first.finishReason).toBe('tool_calls');
    expect(second.toolCalls).toEqual([]);
    expect(second.text).toContain('From http_get: HTTP 200 hello page');
  });
});
