import { useEffect, useState } from 'react';
import type { Api } from '../api/endpoints';
import type { Run, WorkflowEdge, WorkflowNode } from '../api/types';

export interface RunGraph {
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
  workflowName?: string;
}

/**
 * The DAG a run executes: the workflow version it started on (from the versions list), else the
 * current workflow, else just its steps without edges. Loaded once per run.
 */
export function useRunGraph(
  api: Api,
  run: Pick<Run, 'id' | 'workflowId' | 'workflowVersion'> | undefined,
): RunGraph | undefined {
  const [graph, setGraph] = useState<RunGraph | undefined>();
  const key = run ? `${run.id}:${run.workflowId}:${run.workflowVersion}` : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is derived from the run's workflow id and version, so it stands for them
  useEffect(() => {
    if (!run) return;
    let live = true;
    (async () => {
      const current = await api.workflows.get(run.workflowId).catch(() => undefined);
      const versions = await api.workflows.versions(run.workflowId).catch(() => undefined);
      const spec = versions?.items.find((v) => v.version === run.workflowVersion)?.spec ?? current;
      if (!live) return;
      setGraph(
        spec
          ? { nodes: spec.nodes, edges: spec.edges ?? [], workflowName: current?.name ?? spec.name }
          : { nodes: [], edges: [] },
      );
    })();
    return () => {
      live = false;
    };
  }, [api, key]);
  return graph;
}
