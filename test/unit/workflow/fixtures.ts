import type {
  WorkflowEdge,
  WorkflowGraph,
  WorkflowInputField,
  WorkflowNode,
} from '../../../shared/workflow/model';

/** An agent node whose agent slug equals its id unless given, so most tests only name the shape. */
export function agent(id: string, extra: Partial<WorkflowNode> = {}): WorkflowNode {
  return { id, type: 'agent', agent: id, ...extra };
}

export function edge(from: string, to: string, when?: WorkflowEdge['when']): WorkflowEdge {
  return when ? { from, to, when } : { from, to };
}

export function graphOf(
  nodes: WorkflowNode[],
  edges: WorkflowEdge[] = [],
  inputs: WorkflowInputField[] = [],
): WorkflowGraph {
  return { nodes, edges, inputs };
}

/** pm -> coder -> (reviewer, qa) -> summary: the feature pipeline the console ships as a template. */
export function featurePipeline(): WorkflowGraph {
  return graphOf(
    [agent('pm'), agent('coder'), agent('reviewer'), agent('qa'), agent('summary')],
    [
      edge('pm', 'coder'),
      edge('coder', 'reviewer'),
      edge('coder', 'qa'),
      edge('reviewer', 'summary'),
      edge('qa', 'summary'),
    ],
  );
}
