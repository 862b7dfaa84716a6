/**
 * Graph facts shared by validation and planning. Everything here tolerates broken
 * graphs (duplicate ids, dangling edges, cycles) because validation runs on exactly
 * those graphs in order to describe what is wrong with them.
 */
import { ValidationError } from '../errors/index';
import type { WorkflowEdge, WorkflowGraph } from './model';

export interface GraphIndex {
  /** Unique node ids in declaration order; a duplicated id counts once, at its first declaration. */
  ids: string[];
  /** Index into `graph.nodes` of each id's first declaration, for `nodes[i]` issue paths. */
  position: Map<string, number>;
  /** Forward edges whose endpoints both exist; dangling edges are validation's business, not the graph's. */
  edges: WorkflowEdge[];
  /** Over forward edges only: a loop's back edge is not a dependency (it starts a new iteration). */
  incoming: Map<string, WorkflowEdge[]>;
  outgoing: Map<string, WorkflowEdge[]>;
  /** Edges carrying `maxIterations` (loop back edges), endpoints existing. */
  backEdges: WorkflowEdge[];
}

export interface Loop {
  edge: WorkflowEdge;
  /** The nodes a new iteration re-runs: from the back edge's target to its source, declaration order. */
  body: string[];
}

export interface Cycle {
  /** Every node in one strongly connected component (declaration order). */
  members: string[];
  /** One closed walk through the component, e.g. `['a', 'b', 'a']`, for messages. */
  path: string[];
}

export function indexGraph(graph: WorkflowGraph): GraphIndex {
  const position = new Map<string, number>();
  graph.nodes.forEach((node, i) => {
    if (!position.has(node.id)) position.set(node.id, i);
  });
  const ids = [...position.keys()];
  const known = (graph.edges ?? []).filter((e) => position.has(e.from) && position.has(e.to));
  const edges = known.filter((e) => e.maxIterations === undefined);
  const backEdges = known.filter((e) => e.maxIterations !== undefined);
  const incoming = new Map<string, WorkflowEdge[]>(ids.map((id) => [id, []]));
  const outgoing = new Map<string, WorkflowEdge[]>(ids.map((id) => [id, []]));
  for (const edge of edges) {
    required(incoming, edge.to).push(edge);
    required(outgoing, edge.from).push(edge);
  }
  return { ids, position, edges, incoming, outgoing, backEdges };
}

/**
 * The loops of a graph: each back edge with the nodes between its target and its source (nodes
 * reachable from the target that reach the source). Empty when the back edge does not point to an
 * ancestor of its source, which validation reports.
 */
export function loopsOf(index: GraphIndex): Loop[] {
  return index.backEdges.map((edge) => {
    const down = descendantsIn(index, edge.to);
    down.add(edge.to);
    const up = ancestorsOf(index, edge.from);
    up.add(edge.from);
    const body = down.has(edge.from) ? index.ids.filter((id) => down.has(id) && up.has(id)) : [];
    return { edge, body };
  });
}

/** Tarjan's strongly connected components; a component is a cycle when it has two nodes or a self-loop. */
export function findCycles(index: GraphIndex): Cycle[] {
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];

  const visit = (id: string): void => {
    order.set(id, order.size);
    low.set(id, required(order, id));
    stack.push(id);
    onStack.add(id);
    for (const { to } of required(index.outgoing, id)) {
      if (!order.has(to)) {
        visit(to);
        low.set(id, Math.min(required(low, id), required(low, to)));
      } else if (onStack.has(to)) {
        low.set(id, Math.min(required(low, id), required(order, to)));
      }
    }
    if (low.get(id) !== order.get(id)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== id);
    components.push(component);
  };
  for (const id of index.ids) if (!order.has(id)) visit(id);

  const byDeclaration = (a: string, b: string) =>
    required(index.position, a) - required(index.position, b);
  return components
    .filter((c) => c.length > 1 || required(index.outgoing, c[0]).some((e) => e.to === c[0]))
    .map((c) => {
      const members = [...c].sort(byDeclaration);
      return { members, path: closedWalk(index, members[0], new Set(members)) };
    })
    .sort((a, b) => byDeclaration(a.members[0], b.members[0]));
}

/** Shortest walk from `start` back to itself inside one component (breadth first). */
function closedWalk(index: GraphIndex, start: string, members: Set<string>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const { to } of required(index.outgoing, id)) {
      if (!members.has(to)) continue;
      if (to === start) {
        const walk = [id];
        while (walk[0] !== start) walk.unshift(required(cameFrom, walk[0]));
        return [...walk, start];
      }
      if (!cameFrom.has(to)) {
        cameFrom.set(to, id);
        queue.push(to);
      }
    }
  }
  return [start, start];
}

/**
 * Nodes in the order they could run (Kahn's algorithm, ties by declaration). Nodes on
 * a cycle, or downstream of one, never have all their parents finish, so they are left
 * out: that is exactly the set a run could never reach.
 */
export function runnableOrder(index: GraphIndex): string[] {
  const waitingOn = new Map(index.ids.map((id) => [id, required(index.incoming, id).length]));
  const done = new Set<string>();
  const result: string[] = [];
  for (;;) {
    const next = index.ids.find((id) => !done.has(id) && waitingOn.get(id) === 0);
    if (next === undefined) return result;
    done.add(next);
    result.push(next);
    for (const { to } of required(index.outgoing, next))
      waitingOn.set(to, required(waitingOn, to) - 1);
  }
}

/** Every node with a path to `id`: the steps that have finished (or been skipped) before `id` starts. */
export function ancestorsOf(index: GraphIndex, id: string): Set<string> {
  const seen = new Set<string>();
  const queue = [id];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const { from } of index.incoming.get(next) ?? []) {
      if (!seen.has(from)) {
        seen.add(from);
        queue.push(from);
      }
    }
  }
  return seen;
}

/** Every node reachable from `id` (not including `id`): what a re-run from `id` must redo. */
export function descendantsOf(graph: WorkflowGraph, id: string): Set<string> {
  return descendantsIn(indexGraph(graph), id);
}

function descendantsIn(index: GraphIndex, id: string): Set<string> {
  const seen = new Set<string>();
  const queue = [id];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const { to } of index.outgoing.get(next) ?? []) {
      if (!seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return seen;
}

export function cycleMessage(nodeId: string, cycle: Cycle): string {
  return `node "${nodeId}" is on a cycle: ${cycle.path.join(' -> ')}`;
}

/** Node ids in an order where every node comes after all of its parents. Throws on a cycle. */
export function topologicalOrder(graph: WorkflowGraph): string[] {
  const index = indexGraph(graph);
  const order = runnableOrder(index);
  if (order.length === index.ids.length) return order;
  const issues = findCycles(index).flatMap((cycle) =>
    cycle.members.map((id) => ({
      path: `nodes[${index.position.get(id)}]`,
      message: cycleMessage(id, cycle),
    })),
  );
  throw new ValidationError('workflow has a cycle', issues);
}

/** A map entry the algorithm put there itself; its absence is a bug, not bad input. */
function required<K, V>(map: ReadonlyMap<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`internal: no entry for ${String(key)}`);
  return value;
}
