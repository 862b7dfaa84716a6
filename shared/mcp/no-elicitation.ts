/**
 * The MCP SDK's `Server` uses a JSON Schema validator for one thing: checking a client's answer to
 * an elicitation (a server asking the user for input). This server never elicits, so it passes this
 * validator instead of the SDK's default, which would load ajv (~130 KiB) into every cold start of
 * the `mcp` function; the bundles leave ajv out (ADR 182).
 */
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';

export class ElicitationUnsupported extends Error {
  override readonly name = 'ElicitationUnsupported';
}

export const noElicitation: jsonSchemaValidator = {
  getValidator() {
    throw new ElicitationUnsupported('the HishamOS MCP server does not ask clients for input');
  },
};
