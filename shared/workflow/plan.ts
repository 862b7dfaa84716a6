/**
 * The pure planner behind the Step Functions "Plan" task. Each loop the state machine
 * hands it the current step statuses and runs whatever it returns as ready, so all
 * scheduling rules live here, where they can be tested without AWS.
 */
import { indexGraph, type GraphIndex } from './graph';
import type { StepStatus, WorkflowEdge, WorkflowGraph } from './model';

export interface Plan {
  /** PENDING nodes to start now; the state machine runs them in parallel. */
  ready: string[];
  /** PENDING nodes that can never run any more; the caller marks them SKIPPED. */
  skip: string[];
  /** True when nothing is left to run or wait for. */
  done: boolean;
  /** Set only when `done`. */
  outcome?: 'SUCCEEDED' | 'FAILED';
  /** FAILED nodes with no `failure` or `always` edge to handle them. */
  failedNodes: string[];
}

const FINISHED: ReadonlySet<StepStatus> = new Set<StepStatus>(['SUCCEEDED', 'FAILED', 'SKIPPED']);
const IN_FLIGHT: ReadonlySet<StepStatus> = new Set<StepStatus>(['RUNNING', 'WAITING']);

export function planNext(graph: WorkflowGraph, steps: Record<string, StepStatus>): Plan {
  const index = indexGraph(graph);
  // A node without a recorded status has not started: a run may record steps lazily.
  const status = new Map<string, StepStatus>(index.ids.map((id) => [id, steps[id] ?? 'PENDING']));
  const skipped = new Set<string>();
  const skip = (id: string) => {
    status.set(id, 'SKIPPED');
    skipped.add(id);
  };

  propagateSkips(index, status, skip);

  const failedNodes = index.ids.filter(
    (id) => status.get(id) === 'FAILED' && !failureHandled(index, id),
  );
  const pending = () => index.ids.filter((id) => status.get(id) === 'PENDING');
  const inFlight = index.ids.some((id) => IN_FLIGHT.has(required(status, id)));

  let ready: string[] = [];
  if (failedNodes.length > 0) {
    // An unhandled failure dooms the run; starting more work would only spend budget on a lost cause.
    pending().forEach(skip);
  } else {
    ready = pending().filter((id) =>
      required(index.incoming, id).every((edge) => satisfied(edge, status)),
    );
    if (ready.length === 0 && !inFlight) {
      // Only possible in a graph validation rejects (a cycle); skipping keeps the loop from spinning forever.
      pending().forEach(skip);
    }
  }

  const done = ready.length === 0 && !inFlight;
  const plan: Plan = { ready, skip: index.ids.filter((id) => skipped.has(id)), done, failedNodes };
  if (done) plan.outcome = failedNodes.length > 0 ? 'FAILED' : 'SUCCEEDED';
  return plan;
}

/** Skips until nothing changes, so a skip cascades down a whole branch in one planning call. */
function propagateSkips(
  index: GraphIndex,
  status: Map<string, StepStatus>,
  skip: (id: string) => void,
): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of index.ids) {
      if (status.get(id) !== 'PENDING') continue;
      if (required(index.incoming, id).some((edge) => unsatisfiable(edge, status))) {
        skip(id);
        changed = true;
      }
    }
  }
}

function satisfied(edge: WorkflowEdge, status: Map<string, StepStatus>): boolean {
  const from = required(status, edge.from);
  switch (edge.when ?? 'success') {
    case 'success':
      return from === 'SUCCEEDED';
    case 'failure':
      return from === 'FAILED';
    case 'always':
      return FINISHED.has(from);
  }
}

function unsatisfiable(edge: WorkflowEdge, status: Map<string, StepStatus>): boolean {
  return FINISHED.has(required(status, edge.from)) && !satisfied(edge, status);
}

function failureHandled(index: GraphIndex, id: string): boolean {
  return required(index.outgoing, id).some(
    (edge) => edge.when === 'failure' || edge.when === 'always',
  );
}

/** A map entry the algorithm put there itself; its absence is a bug, not bad input. */
function required<K, V>(map: ReadonlyMap<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`internal: no entry for ${String(key)}`);
  return value;
}
