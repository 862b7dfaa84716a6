/**
 * The pure planner behind the Step Functions "Plan" task. Each loop the state machine
 * hands it the current step statuses and runs whatever it returns as ready, so all
 * scheduling rules live here, where they can be tested without AWS.
 */
import { evaluateCondition } from './condition';
import { indexGraph, loopsOf, type GraphIndex, type Loop } from './graph';
import type { StepStatus, WorkflowEdge, WorkflowGraph } from './model';
import type { TemplateContext } from './template';

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

/** What conditions read: the run input and each node's latest output (and earlier iterations). */
export interface PlanData extends TemplateContext {
  /** Each node's latest iteration (1 when absent). */
  iterations?: Record<string, number>;
}

export interface Iteration {
  /** The back edge taken. */
  from: string;
  to: string;
  /** The nodes to run again, each as a new PENDING step of this iteration. */
  body: string[];
  iteration: number;
}

export interface DetailedPlan extends Plan {
  /** Why each node in `skip` is skipped, for the run's timeline. */
  reasons: Record<string, string>;
  /** Loops whose back edge was taken: the caller records a new iteration of their bodies. */
  iterate: Iteration[];
}

const FINISHED: ReadonlySet<StepStatus> = new Set<StepStatus>(['SUCCEEDED', 'FAILED', 'SKIPPED']);
const IN_FLIGHT: ReadonlySet<StepStatus> = new Set<StepStatus>(['RUNNING', 'WAITING']);

type EdgeState = 'pending' | 'taken' | 'untaken' | 'blocked';

export function planNext(
  graph: WorkflowGraph,
  steps: Record<string, StepStatus>,
  data?: PlanData,
): Plan {
  const { ready, skip, done, outcome, failedNodes } = planDetailed(graph, steps, data);
  const plan: Plan = { ready, skip, done, failedNodes };
  if (outcome) plan.outcome = outcome;
  return plan;
}

/**
 * The planner with its reasons. Edge semantics (ADR 090): an edge is pending until its parent
 * finishes; then it is blocked when the parent's outcome does not match `when` (the child is
 * skipped at once, as always), untaken when its `if` is false or its parent was itself skipped
 * because no branch led to it, and taken otherwise. A node runs when no incoming edge is blocked
 * or pending and at least one is taken; when all are untaken it is skipped as a branch not taken.
 */
export function planDetailed(
  graph: WorkflowGraph,
  steps: Record<string, StepStatus>,
  data: PlanData = { input: {}, steps: {} },
): DetailedPlan {
  const index = indexGraph(graph);
  // A node without a recorded status has not started: a run may record steps lazily.
  const status = new Map<string, StepStatus>(index.ids.map((id) => [id, steps[id] ?? 'PENDING']));
  const skipped = new Set<string>();
  const reasons: Record<string, string> = {};
  const iterate: Iteration[] = [];
  const loops = loopsOf(index);
  const edges = new EdgeStates(index, status, data, loops);
  const skip = (id: string, reason: string) => {
    status.set(id, 'SKIPPED');
    skipped.add(id);
    reasons[id] = reason;
    edges.clear();
  };

  propagateSkips(index, status, edges, skip);
  for (const loop of loops) {
    const next = nextIteration(loop, status, edges, data);
    if (next === undefined) continue;
    for (const id of loop.body) {
      status.set(id, 'PENDING');
      skipped.delete(id);
      delete reasons[id];
    }
    edges.clear();
    iterate.push({ from: loop.edge.from, to: loop.edge.to, body: loop.body, iteration: next });
  }
  if (iterate.length) propagateSkips(index, status, edges, skip);

  const failedNodes = index.ids.filter(
    (id) => status.get(id) === 'FAILED' && !failureHandled(index, id),
  );
  const pending = () => index.ids.filter((id) => status.get(id) === 'PENDING');
  const inFlight = index.ids.some((id) => IN_FLIGHT.has(required(status, id)));

  let ready: string[] = [];
  if (failedNodes.length > 0) {
    // An unhandled failure dooms the run; starting more work would only spend budget on a lost cause.
    for (const id of pending()) skip(id, `the run failed at ${failedNodes.join(', ')}`);
  } else {
    ready = pending().filter((id) => {
      const states = required(index.incoming, id).map((edge) => edges.of(edge));
      return states.length === 0 || (!states.includes('pending') && states.includes('taken'));
    });
    if (ready.length === 0 && !inFlight) {
      // Only possible in a graph validation rejects (a cycle); skipping keeps the loop from spinning forever.
      for (const id of pending()) skip(id, 'it depends on a cycle');
    }
  }

  const done = ready.length === 0 && !inFlight;
  const plan: DetailedPlan = {
    ready,
    skip: index.ids.filter((id) => skipped.has(id)),
    done,
    failedNodes,
    reasons,
    iterate,
  };
  if (done) plan.outcome = failedNodes.length > 0 ? 'FAILED' : 'SUCCEEDED';
  return plan;
}

/** Edge states, memoised until a status changes; `pruned` nodes were skipped as branches not taken. */
class EdgeStates {
  private readonly memo = new Map<WorkflowEdge, EdgeState>();
  private readonly prunedMemo = new Map<string, boolean>();
  private readonly bodyOf = new Map<string, Loop>();
  constructor(
    private readonly index: GraphIndex,
    private readonly status: Map<string, StepStatus>,
    private readonly data: PlanData,
    loops: Loop[],
  ) {
    for (const loop of loops) for (const id of loop.body) this.bodyOf.set(id, loop);
  }

  clear(): void {
    this.memo.clear();
    this.prunedMemo.clear();
  }

  of(edge: WorkflowEdge): EdgeState {
    let state = this.memo.get(edge);
    if (state === undefined) {
      state = this.compute(edge);
      this.memo.set(edge, state);
    }
    return state;
  }

  /** A skipped node all of whose incoming edges are untaken: nothing led to it, nothing failed. */
  pruned(id: string): boolean {
    let pruned = this.prunedMemo.get(id);
    if (pruned === undefined) {
      const incoming = required(this.index.incoming, id);
      pruned =
        this.status.get(id) === 'SKIPPED' &&
        incoming.length > 0 &&
        incoming.every((edge) => this.of(edge) === 'untaken');
      this.prunedMemo.set(id, pruned);
    }
    return pruned;
  }

  private loopOpen(loop: Loop): boolean {
    if (!loop.body.every((id) => FINISHED.has(required(this.status, id)))) return true;
    return this.of(loop.edge) === 'taken' && iterationsLeft(loop, this.data);
  }

  private compute(edge: WorkflowEdge): EdgeState {
    const from = required(this.status, edge.from);
    if (!FINISHED.has(from)) return 'pending';
    const loop = this.bodyOf.get(edge.from);
    // Leaving a loop waits until the loop has settled: its last iteration decides what follows.
    if (loop && loop.edge !== edge && !loop.body.includes(edge.to) && this.loopOpen(loop))
      return 'pending';
    if (from === 'SKIPPED' && this.pruned(edge.from)) return 'untaken';
    if (!gateOpen(edge, from)) return 'blocked';
    if (edge.if && !evaluateCondition(edge.if, this.data)) return 'untaken';
    return 'taken';
  }
}

function gateOpen(edge: WorkflowEdge, from: StepStatus): boolean {
  switch (edge.when ?? 'success') {
    case 'success':
      return from === 'SUCCEEDED';
    case 'failure':
      return from === 'FAILED';
    case 'always':
      return FINISHED.has(from);
  }
}

/** Skips until nothing changes, so a skip cascades down a whole branch in one planning call. */
function propagateSkips(
  index: GraphIndex,
  status: Map<string, StepStatus>,
  edges: EdgeStates,
  skip: (id: string, reason: string) => void,
): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of index.ids) {
      if (status.get(id) !== 'PENDING') continue;
      const incoming = required(index.incoming, id);
      const blocked = incoming.find((edge) => edges.of(edge) === 'blocked');
      if (blocked) {
        const when = blocked.when ?? 'success';
        skip(
          id,
          `${blocked.from} ended ${required(status, blocked.from)}, and ${blocked.from} -> ${id} runs on ${when}`,
        );
        changed = true;
      } else if (incoming.length > 0 && incoming.every((edge) => edges.of(edge) === 'untaken')) {
        skip(id, `no branch leads here: ${incoming.map((e) => untakenWhy(e, status)).join('; ')}`);
        changed = true;
      }
    }
  }
}

function untakenWhy(edge: WorkflowEdge, status: Map<string, StepStatus>): string {
  return status.get(edge.from) === 'SKIPPED'
    ? `${edge.from} was skipped`
    : `the condition on ${edge.from} -> ${edge.to} is false`;
}

/** The iteration to start when a loop's body has finished and its back edge is taken within bounds. */
function nextIteration(
  loop: Loop,
  status: Map<string, StepStatus>,
  edges: EdgeStates,
  data: PlanData,
): number | undefined {
  if (loop.body.length === 0) return undefined;
  if (!loop.body.every((id) => FINISHED.has(required(status, id)))) return undefined;
  if (edges.of(loop.edge) !== 'taken') return undefined;
  return iterationsLeft(loop, data) ? currentIteration(loop, data) + 1 : undefined;
}

function currentIteration(loop: Loop, data: PlanData): number {
  return Math.max(...loop.body.map((id) => data.iterations?.[id] ?? 1));
}

function iterationsLeft(loop: Loop, data: PlanData): boolean {
  return currentIteration(loop, data) < (loop.edge.maxIterations ?? 1);
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
