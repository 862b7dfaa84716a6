/**
 * Template checks: a placeholder that cannot resolve would silently render as an empty
 * string at run time, so every one that can be caught at save time is.
 */
import type { FieldIssue } from '../errors/index';
import { ancestorsOf, loopsOf, type GraphIndex } from './graph';
import type { WorkflowGraph, WorkflowNode } from './model';
import { templateReferences, type TemplateRef } from './template';

const HINT = 'use {{input.<field>}} or {{steps.<nodeId>.output}}';

export function templateIssues(graph: WorkflowGraph, index: GraphIndex): FieldIssue[] {
  const declared = new Set((graph.inputs ?? []).map((f) => f.name));
  const issues: FieldIssue[] = [];
  const loops = loopsOf(index);
  graph.nodes.forEach((node, i) => {
    // Each node is checked against its own upstream, so a duplicate id is checked as the first declaration.
    const upstream = ancestorsOf(index, node.id);
    // Inside a loop every body node may read every other: a later one's output is the previous iteration's.
    for (const loop of loops)
      if (loop.body.includes(node.id)) for (const id of loop.body) upstream.add(id);
    for (const { path, text } of templatedStrings(node, `nodes[${i}]`)) {
      for (const ref of templateReferences(text)) {
        const message = referenceProblem(node.id, ref, { index, upstream, declared });
        if (message) issues.push({ path, message });
      }
    }
  });
  return issues;
}

interface Scope {
  index: GraphIndex;
  upstream: Set<string>;
  declared: Set<string>;
}

function referenceProblem(nodeId: string, ref: TemplateRef, scope: Scope): string | undefined {
  const where = `node "${nodeId}" references "${ref.raw}"`;
  if (ref.root === '' || ref.path.some((segment) => segment === ''))
    return `${where}, which is malformed: ${HINT}`;
  if (ref.root === 'input') {
    if (ref.path.length === 0) return `${where} without a field: use {{input.<field>}}`;
    const field = ref.path[0];
    if (scope.declared.size > 0 && !scope.declared.has(field)) {
      return `${where}, but the workflow declares no input "${field}" (declared: ${[...scope.declared].join(', ')})`;
    }
    return undefined;
  }
  if (ref.root === 'steps') {
    const [stepId, field] = ref.path;
    if (stepId === undefined) return `${where} without a step id: use {{steps.<nodeId>.output}}`;
    if (!scope.index.position.has(stepId)) return `${where}, but there is no node "${stepId}"`;
    if (field !== 'output' && field !== 'iterations')
      return `${where}: a step is read through its output, e.g. {{steps.${stepId}.output}}`;
    if (!scope.upstream.has(stepId)) {
      return `${where}, but "${stepId}" is not upstream of "${nodeId}" so it may not have run yet`;
    }
    return undefined;
  }
  return `${where} with unknown root "${ref.root}": ${HINT}`;
}

/** The prompt and every string anywhere inside `with`, each with the path an editor can highlight. */
function templatedStrings(node: WorkflowNode, base: string): Array<{ path: string; text: string }> {
  const found: Array<{ path: string; text: string }> = [];
  if (typeof node.prompt === 'string') found.push({ path: `${base}.prompt`, text: node.prompt });
  const visit = (value: unknown, path: string): void => {
    if (typeof value === 'string') found.push({ path, text: value });
    else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) visit(item, `${path}[${i}]`);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) visit(item, `${path}.${key}`);
    }
  };
  if (node.with) visit(node.with, `${base}.with`);
  if (node.input) visit(node.input, `${base}.input`);
  // The items path of a map reads like a placeholder, so it is checked like one.
  if (node.items) found.push({ path: `${base}.items`, text: `{{${node.items}}}` });
  return found;
}
