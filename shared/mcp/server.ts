/**
 * The Model Context Protocol face of the platform: each workflow of the caller's tenant is a tool
 * (named by its slug, input schema from its declared inputs); calling one starts a run and returns
 * its output, or the run id when it outlasts the wait (ADR 076). Transport-free: the handler
 * connects it to a streamable HTTP transport per request.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { AuthContext } from '../auth/context';
import { getWorkflow } from '../catalog/workflows';
import { listPublishedWorkflows } from '../catalog/publish';
import { isAppError } from '../errors';
import type { Platform } from '../platform/platform';
import { startRun } from '../runs/start-run';
import { loadRunRow } from '../runs/run-store';
import { isTerminalRun } from '../runs/run-status';
import { noElicitation } from './no-elicitation';

/** A run the tool stops waiting for: finished, or waiting on a person. */
const settled = (status: string) => isTerminalRun(status) || status === 'WAITING';

export interface McpOptions {
  /** How long a tool call waits for its run before answering with the run id. */
  waitMs: number;
  pollMs?: number;
}

interface WorkflowView {
  slug: string;
  name: string;
  description?: string;
  inputs: { name: string; description?: string; required?: boolean }[];
}

export function workflowTool(wf: WorkflowView): Tool {
  return {
    name: wf.slug,
    title: wf.name,
    description: wf.description || `Runs the ${wf.name} workflow and returns its output.`,
    inputSchema: {
      type: 'object',
      properties: Object.fromEntries(
        wf.inputs.map((i) => [
          i.name,
          { type: 'string', ...(i.description ? { description: i.description } : {}) },
        ]),
      ),
      required: wf.inputs.filter((i) => i.required).map((i) => i.name),
    },
  };
}

export function createMcpServer(p: Platform, auth: AuthContext, options: McpOptions): Server {
  const server = new Server(
    { name: 'hishamos', version: '0.1.0' },
    {
      capabilities: { tools: {} },
      jsonSchemaValidator: noElicitation,
      instructions:
        'Each tool runs one HishamOS workflow of your tenant. Long runs answer with their run id; follow them at GET /v1/runs/{id}.',
    },
  );

  server.setRequestHandler(ListToolsRequestSchema, async () => {
    // Tools describe what a call runs: the published version's inputs (ADR 120).
    const page = await listPublishedWorkflows(p, auth, { limit: 200 });
    return { tools: page.items.map((wf) => workflowTool(wf as WorkflowView)) };
  });

  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const { name, arguments: args } = request.params;
    try {
      // Unknown names are NotFound; the workflow's own validation names bad inputs.
      await getWorkflow(p, auth, name);
      const started = await startRun(p, auth, name, (args ?? {}) as Record<string, unknown>);
      const run = await waitForRun(p, auth, started.runId, options);
      const summary = {
        runId: run.id,
        status: run.status,
        ...(run.output !== undefined ? { output: run.output } : {}),
        ...(run.error ? { error: run.error } : {}),
      };
      const text = !settled(run.status)
        ? `Run ${run.id} is still ${run.status}; follow it at GET /v1/runs/${run.id}.`
        : run.status === 'SUCCEEDED'
          ? typeof run.output === 'string'
            ? run.output
            : JSON.stringify(run.output, null, 2)
          : `Run ${run.id} ${run.status}${run.error ? `: ${run.error.name}: ${run.error.message}` : ''}`;
      return {
        content: [{ type: 'text', text }],
        structuredContent: summary,
        isError: run.status === 'FAILED' || run.status === 'CANCELLED',
      };
    } catch (error) {
      // Domain errors are results the model can read and correct; anything else is internal.
      if (isAppError(error))
        return {
          content: [{ type: 'text', text: `${error.name}: ${error.message}` }],
          isError: true,
        };
      throw error;
    }
  });
  return server;
}

async function waitForRun(p: Platform, auth: AuthContext, runId: string, o: McpOptions) {
  const deadline = Date.now() + o.waitMs;
  for (;;) {
    const row = await p.db.withTenant(auth, (tx) => loadRunRow(tx, auth.tenantId, runId));
    const run = {
      id: row.id,
      status: row.status,
      output: row.output ?? undefined,
      error: (row.error as { name: string; message: string } | null) ?? undefined,
    };
    if (settled(run.status) || Date.now() >= deadline) return run;
    await new Promise((r) => setTimeout(r, o.pollMs ?? 200));
  }
}
