/**
 * The tools an agent may be given (issue 13): their names, what the model is told about them and
 * the JSON Schema of their arguments. Pure data, no I/O: the agent contract validates against it
 * and the tool loop offers it to the model. The executors live in ./execute.ts.
 */
import type { ToolDefinition } from '../../llm/types';

export const AGENT_TOOL_NAMES = [
  'knowledge.search',
  'http.get',
  'github.get_pull_request_diff',
  'github.get_file',
  'jira.get_issue',
] as const;
export type AgentToolName = (typeof AGENT_TOOL_NAMES)[number];

/** A workflow of the tenant as a tool (`workflow:<slug>`): each call is a child run (ADR 162). */
export const WORKFLOW_TOOL_PREFIX = 'workflow:';
export type WorkflowToolName = `workflow:${string}`;
/** Any tool an agent may list: a built-in one or a workflow of its tenant. */
export type AgentToolRef = AgentToolName | WorkflowToolName;
const WORKFLOW_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Model turns an agent step may take (each one a metered call) before MaxTurnsExceeded. */
export const DEFAULT_MAX_TURNS = 8;
export const MAX_TURNS_LIMIT = 20;

const Repository = {
  type: 'string',
  description: 'The repository as owner/name, e.g. octo-org/api',
  pattern: '^[\\w.-]+/[\\w.-]+$',
};

const DEFINITIONS: Record<AgentToolName, Omit<ToolDefinition, 'name'>> = {
  'knowledge.search': {
    description:
      "Search the agent's knowledge bases. Returns the most relevant passages, numbered, with their document title; cite them as [n].",
    parameters: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'What to look for, in natural language' },
        topK: { type: 'integer', minimum: 1, maximum: 10, description: 'How many passages' },
      },
      required: ['query'],
      additionalProperties: false,
    },
  },
  'http.get': {
    description:
      'Fetch a public http(s) URL with GET and return its status and (text) body, truncated. Private and internal addresses are refused.',
    parameters: {
      type: 'object',
      properties: { url: { type: 'string', description: 'An absolute http(s) URL' } },
      required: ['url'],
      additionalProperties: false,
    },
  },
  'github.get_pull_request_diff': {
    description: 'The unified diff of a GitHub pull request (truncated when large).',
    parameters: {
      type: 'object',
      properties: {
        repository: Repository,
        number: { type: 'integer', minimum: 1, description: 'The pull request number' },
      },
      required: ['repository', 'number'],
      additionalProperties: false,
    },
  },
  'github.get_file': {
    description: 'The text of one file of a GitHub repository at a ref (default branch if none).',
    parameters: {
      type: 'object',
      properties: {
        repository: Repository,
        path: { type: 'string', description: 'The file path in the repository' },
        ref: { type: 'string', description: 'A branch, tag or commit SHA' },
      },
      required: ['repository', 'path'],
      additionalProperties: false,
    },
  },
  'jira.get_issue': {
    description: 'A Jira issue: summary, status, type, assignee, description and recent comments.',
    parameters: {
      type: 'object',
      properties: {
        issue: {
          type: 'string',
          description: 'The issue key, e.g. PROJ-123',
          pattern: '^[A-Z][A-Z0-9_]*-\\d+$',
        },
      },
      required: ['issue'],
      additionalProperties: false,
    },
  },
};

/** What a tool does, as the model is told (the console shows it next to the checkbox). */
export function agentToolDescription(name: AgentToolName): string {
  return DEFINITIONS[name].description ?? '';
}

export function isAgentToolName(name: string): name is AgentToolName {
  return (AGENT_TOOL_NAMES as readonly string[]).includes(name);
}

/** The workflow slug of a `workflow:<slug>` tool name (its form checked), else undefined. */
export function workflowToolSlug(name: string): string | undefined {
  if (!name.startsWith(WORKFLOW_TOOL_PREFIX)) return undefined;
  const slug = name.slice(WORKFLOW_TOOL_PREFIX.length);
  return slug.length <= 64 && WORKFLOW_SLUG.test(slug) ? slug : undefined;
}

export function isWorkflowToolName(name: string): name is WorkflowToolName {
  return workflowToolSlug(name) !== undefined;
}

export function isAgentToolRef(name: string): name is AgentToolRef {
  return isAgentToolName(name) || isWorkflowToolName(name);
}

/** An agent spec names a tool this deployment does not know (saved before validation existed). */
export class UnknownAgentTool extends Error {
  override readonly name = 'UnknownAgentTool';
}

/**
 * The agent's tools, checked again at run time (a spec saved before validation may hold others).
 * Here, not in the tool loop: a step without tools loads neither the loop nor its schemas.
 */
export function agentToolsOf(tools: readonly string[] | undefined | null): AgentToolRef[] {
  const names = [...new Set(tools ?? [])];
  const unknown = names.filter((n) => !isAgentToolRef(n));
  if (unknown.length)
    throw new UnknownAgentTool(
      `the agent lists tools this platform cannot run: ${unknown.join(', ')}; edit the agent`,
    );
  return names.filter(isAgentToolRef);
}

/**
 * Why `name` cannot be an agent tool, or undefined when it can. Pure: that a `workflow:<slug>`
 * names a workflow of the tenant is checked when the agent is saved (shared/catalog/agents.ts).
 */
export function agentToolProblem(name: string): string | undefined {
  if (isAgentToolRef(name)) return undefined;
  if (name.startsWith(WORKFLOW_TOOL_PREFIX))
    return `"${name}": a workflow tool is workflow:<slug>, the slug in lowercase letters, digits and single dashes`;
  return `unknown tool "${name}": the known tools are ${AGENT_TOOL_NAMES.join(', ')} and workflow:<slug>`;
}

/**
 * The name the model sees. OpenAI and Anthropic allow only [a-zA-Z0-9_-] in function names, so the
 * dots become underscores (`knowledge.search` → `knowledge_search`); the loop maps them back.
 */
export function wireName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_');
}

/** The built-in tools' definitions offered to the model, under their wire names, in order. */
export function toolDefinitions(names: readonly AgentToolName[]): ToolDefinition[] {
  return names.map((name) => ({ name: wireName(name), ...DEFINITIONS[name] }));
}

/** A declared workflow input, as far as the tool's schema needs it. */
export interface WorkflowToolInput {
  name: string;
  description?: string;
  required?: boolean;
}

/**
 * What the model is told about a workflow tool: the workflow's description (else its name), and
 * its declared inputs as string properties (required ones required). A workflow that declares no
 * inputs takes any object, as its runs do.
 */
export function workflowToolDefinition(
  name: WorkflowToolName,
  workflow: { name: string; description?: string; inputs: readonly WorkflowToolInput[] },
): ToolDefinition {
  const properties = Object.fromEntries(
    workflow.inputs.map((i) => [
      i.name,
      { type: 'string', ...(i.description ? { description: i.description } : {}) },
    ]),
  );
  const required = workflow.inputs.filter((i) => i.required).map((i) => i.name);
  return {
    name: wireName(name),
    description:
      `Runs the workflow "${workflow.name}" and returns its output. ${workflow.description ?? ''}`.trim(),
    parameters: workflow.inputs.length
      ? { type: 'object', properties, required, additionalProperties: false }
      : { type: 'object', properties: {} },
  };
}

/** The agent tool a model's call names (by wire name), if it is one of the offered ones. */
export function toolForWireName<T extends string>(
  names: readonly T[],
  wire: string,
): T | undefined {
  return names.find((n) => wireName(n) === wire || n === wire);
}
