/**
 * Stands in for `ajv` in the Lambda bundles (ADR 182). Only the MCP SDK's default JSON Schema
 * validator reaches ajv, and shared/mcp/server.ts passes its own, so nothing constructs this.
 */
export default class LeftOutAjv {
  constructor() {
    throw new Error('ajv is left out of the Lambda bundles (ADR 182): pass a jsonSchemaValidator');
  }
}
