/**
 * The names of the tool steps a workflow may use, without the tools themselves (ADR 185): what
 * validates a workflow (the API, MCP, imports) loads this, not the GitHub and Jira clients. The
 * registry refuses to register a tool not named here.
 */
export const TOOL_STEP_NAMES = [
  'collect',
  'github.comment',
  'github.status',
  'jira.comment',
  'jira.transition',
] as const;

const names: ReadonlySet<string> = new Set(TOOL_STEP_NAMES);

export function knownTool(name: string): boolean {
  return names.has(name);
}
