/**
 * Tool steps a workflow may use. Each tool validates its own `with` arguments and runs inside the
 * RunToolStep task. The GitHub/Jira tools arrive with the automation work; the built-ins are here.
 */
import { knownTool } from './names';

export interface ToolContext {
  input: Record<string, unknown>;
  steps: Record<string, { output: unknown }>;
  /** Rendered `with` arguments. */
  args: Record<string, unknown>;
  /** Set by RunToolStep: tools that call out (GitHub, Jira) read credentials and config through it. */
  platform?: import('../platform/platform').Platform;
  run?: ToolRunInfo;
}
/** The step a tool runs in: ids only. */
export interface ToolRunInfo {
  tenantId: string;
  runId: string;
  stepId: string;
  nodeId: string;
  workflowId: string;
  rerunOf: string | null;
}
export interface Tool {
  readonly name: string;
  readonly description: string;
  run(ctx: ToolContext): Promise<unknown>;
}

const tools = new Map<string, Tool>();

export function registerTool(tool: Tool): void {
  // Validation knows tools by name only: a tool it does not name could never be used (ADR 185).
  if (!knownTool(tool.name))
    throw new TypeError(`tool ${tool.name} is not in TOOL_STEP_NAMES (shared/tools/names.ts)`);
  tools.set(tool.name, tool);
}
export function getTool(name: string): Tool | undefined {
  return tools.get(name);
}

/** `collect`: gathers named step outputs into one object (a join without a model call). */
registerTool({
  name: 'collect',
  description: 'Combine rendered arguments into one JSON output',
  async run(ctx) {
    return ctx.args;
  },
});
