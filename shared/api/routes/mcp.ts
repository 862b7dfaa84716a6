import { route as r } from '../route';

export const mcpRoutes = [
  // JSON-RPC messages as the MCP SDKs send them: the body is the protocol's, validated by the SDK.
  r(
    'POST',
    '/mcp',
    'dev',
    'Model Context Protocol (streamable HTTP, JSON responses): each workflow is a tool',
  ),
] as const;
