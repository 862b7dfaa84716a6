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
  workflowToolDefinition,
} from '../../../shared/tools/agent-tools/catalog';
import { policyFrom, protectOutbound } from '../../../shared/pii/policy';
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
    expect(agentToolProblem('workflow:triage')).toBeUndefined();
    expect(agentToolProblem('workflow:Not_A_Slug')).toContain('lowercase letters');
  });

  it('describes a workflow tool from the workflow: its description, its inputs as the schema', () => {
    // Act
    const def = workflowToolDefinition('workflow:triage-issue', {
      name: 'Triage',
      description: 'Labels an issue.',
      inputs: [{ name: 'issue', description: 'The issue text', required: true }, { name: 'repo' }],
    });
    const open = workflowToolDefinition('workflow:free', { name: 'Free', inputs: [] });
    // Assess
    expect(def).toEqual({
      name: 'workflow_triage-issue',
      description: 'Runs the workflow "Triage" and returns its output. Labels an issue.',
      parameters: {
        type: 'object',
        properties: {
          issue: { type: 'string', description: 'The issue text' },
          repo: { type: 'string' },
        },
        required: ['issue'],
        additionalProperties: false,
      },
    });
    expect(open.parameters).toEqual({ type: 'object', properties: {} });
    expect(toolForWireName(['http.get', 'workflow:triage-issue'], 'workflow_triage-issue')).toBe(
      'workflow:triage-issue',
    );
  });
});

describe('tool results and PII (ADR 162)', () => {
  it('reach the provider with the prompt’s placeholders, the same each time the conversation is built', () => {
    // Prepare: the prompt names one email; a tool result repeats it and adds another
    const policy = policyFrom({ classes: { email: 'mask_provider' } });
    const outbound = protectOutbound(policy, { content: 'Mail a@example.com' });
    const turn = newTurn(1, '', [{ id: 'c1', name: 'http_get', arguments: {} }], ['http.get']);
    turn.calls[0].result = 'Owners: a@example.com, b@example.com';
    // Act
    const first = conversation(outbound.content, [turn], outbound.mask);
    const again = conversation(outbound.content, [turn], outbound.mask);
    // Assess
    expect(first[0].content).toBe('Mail [EMAIL_1]');
    expect(first[2].toolResults?.[0].content).toBe('Owners: [EMAIL_1], [EMAIL_2]');
    expect(again).toEqual(first);
    expect(outbound.restore('Ask [EMAIL_2]')).toBe('Ask b@example.com');
    expect(outbound.counts).toEqual({ email: 1 });
  });

  it('a call whose execution is not finished stays pending', async () => {
    const turn = newTurn(
      1,
      '',
      [
        { id: 'w', name: 'workflow_triage', arguments: {} },
        { id: 'h', name: 'http_get', arguments: {} },
      ],
      ['workflow:triage', 'http.get'],
    );
    const done = await runPendingCalls(turn, async (tool) =>
      tool === 'http.get'
        ? { content: 'ok', isError: false, size: 2, truncated: false, durationMs: 1 }
        : undefined,
    );
    expect(done.map((c) => c.id)).toEqual(['h']);
    expect(turn.calls.map((c) => c.result)).toEqual([undefined, 'ok']);
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
