import { useEffect, useState } from 'react';
import type { Api } from '../api/endpoints';
import { ApiError } from '../api/errors';
import type { Run, WorkflowEdge, WorkflowNode } from '../api/types';

export interface RunGraph {
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
  workflowName?: string;
}

/** Waits between attempts when the workflow could not be read (a 429 or a network blip). */
export const GRAPH_RETRY_MS = [1000, 2000, 4000, 8000];

/**
 * The DAG a run executes: the workflow version it started on (from the versions list), else the
 * current workflow. A failed read is retried (a graph of no nodes would stay blank for the whole
 * run); only when the workflow is gone, or every retry failed, does the run draw its steps alone.
 */
export function useRunGraph(
  api: Api,
  run: Pick<Run, 'id' | 'workflowId' | 'workflowVersion'> | undefined,
  retryMs: readonly number[] = GRAPH_RETRY_MS,
): RunGraph | undefined {
  const [graph, setGraph] = useState<RunGraph | undefined>();
  const key = run ? `${run.id}:${run.workflowId}:${run.workflowVersion}` : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is derived from the run's workflow id and version, so it stands for them
  useEffect(() => {
    if (!run) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (attempt: number) => {
      const failures: unknown[] = [];
      const failed = (e: unknown) => {
        failures.push(e);
        return undefined;
      };
      const current = await api.workflows.get(run.workflowId).catch(failed);
      const versions = await api.workflows.versions(run.workflowId).catch(failed);
      const spec = versions?.items.find((v) => v.version === run.workflowVersion)?.spec ?? current;
      if (!live) return;
      if (spec) {
        setGraph({
          nodes: spec.nodes,
          edges: spec.edges ?? [],
          workflowName: current?.name ?? spec.name,
        });
        return;
      }
      const gone = failures.some((e) => e instanceof ApiError && e.status === 404);
      if (!gone && attempt < retryMs.length) {
        timer = setTimeout(() => void load(attempt + 1), retryMs[attempt]);
        return;
      }
      setGraph({ nodes: [], edges: [] });
    };
    void load(0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, key, retryMs]);
  return graph;
}
