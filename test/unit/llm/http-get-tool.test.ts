/**
 * The http.get agent tool (ADR 130) over a real loopback server: the body the model reads is
 * bounded, redirects are reported and not followed, and the guard (ADR 052) refuses private
 * addresses; every failure is an error result, never a thrown step error.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configureOutbound } from '../../../shared/net/outbound';
import type { Platform } from '../../../shared/platform/platform';
import {
  type AgentToolContext,
  MAX_RESULT_CHARS,
  executeAgentTool,
} from '../../../shared/tools/agent-tools/execute';

let server: Server;
let origin: string;
const ctx = {
  p: { now: () => Date.now(), log: { warn: () => {} } } as unknown as Platform,
  tenantId: 't',
  runId: 'r',
  workflowId: 'w',
  stepId: 's',
  nodeId: 'n',
  knowledgeBaseIds: [],
} satisfies AgentToolContext;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('q'.repeat(MAX_RESULT_CHARS * 3));
    } else if (req.url === '/moved') {
      res.writeHead(302, { location: 'http://10.0.0.1/secret' });
      res.end();
    } else {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(Buffer.from([0, 1, 2]));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  configureOutbound({ allowLoopback: true, allow: [] });
});
afterAll(async () => {
  configureOutbound({ allowLoopback: false, allow: [] });
  await new Promise((r) => server.close(r));
});

test('a large text body is cut at the bound, saying how much more there was', async () => {
  // Act
  const out = await executeAgentTool(ctx, 'http.get', { url: `${origin}/big` });
  // Assess
  expect(out.isError).toBe(false);
  expect(out.truncated).toBe(true);
  expect(out.content.startsWith('HTTP 200')).toBe(true);
  expect(out.content).toMatch(/\[truncated: \d+ more characters\]$/);
  expect(out.content.length).toBeLessThan(MAX_RESULT_CHARS + 60);
});

test('a redirect is reported, not followed; a binary body is not shown', async () => {
  // Act
  const moved = await executeAgentTool(ctx, 'http.get', { url: `${origin}/moved` });
  const binary = await executeAgentTool(ctx, 'http.get', { url: `${origin}/bin` });
  // Assess
  expect(moved.content).toContain('HTTP 302 → http://10.0.0.1/secret (redirects are not followed)');
  expect(binary.content).toContain('(application/octet-stream body not shown)');
});

test('private addresses and bad arguments are error results naming the reason', async () => {
  // Act
  const privateAddress = await executeAgentTool(ctx, 'http.get', { url: 'http://10.1.2.3/' });
  const notUrl = await executeAgentTool(ctx, 'http.get', { url: 'nope' });
  const extra = await executeAgentTool(ctx, 'http.get', { url: `${origin}/big`, method: 'POST' });
  // Assess
  expect(privateAddress).toMatchObject({ isError: true });
  expect(privateAddress.content).toContain('ForbiddenDestination: 10.1.2.3 is a private address');
  expect(notUrl.isError).toBe(true);
  expect(notUrl.content).toContain('http.get: url:');
  expect(extra.isError).toBe(true);
  expect(extra.content).toContain('method');
});
