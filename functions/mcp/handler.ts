/**
 * `POST /mcp`: the Model Context Protocol's streamable HTTP transport, stateless (a server and a
 * transport per request) and answering in JSON, so it runs behind the HTTP API like any route
 * (ADR 076). Authentication, rate limits and the role are httpHandler's, as everywhere.
 */
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { mcpRoutes } from '../../shared/api/routes/mcp';
import { Reply, httpHandler } from '../../shared/http/api-handler';
import { createMcpServer } from '../../shared/mcp/server';

export const handler = httpHandler(mcpRoutes, {
  'POST /mcp': async ({ platform, auth, body, rawBody, headers }) => {
    const server = createMcpServer(platform, auth, { waitMs: platform.config.MCP_WAIT_MS });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    try {
      const request = new Request('http://mcp.local/mcp', {
        method: 'POST',
        headers: Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined),
        body: rawBody,
      });
      const res = await transport.handleRequest(request, { parsedBody: body });
      const text = await res.text();
      return new Reply(res.status, text ? JSON.parse(text) : undefined);
    } finally {
      await server.close();
    }
  },
});
