/**
 * Layered layout of a DAG: each node's layer is its topological depth (the longest path from a
 * root), layers run left to right, and nodes inside a layer are ordered by the average position
 * of their parents (one barycenter pass), which untangles most fan-in/fan-out shapes. Tolerates
 * broken graphs (cycles, dangling edges): nodes the topological walk cannot reach go one layer
 * past the deepest node, so an invalid graph still draws.
 */
export interface LayoutEdge {
  from: string;
  to: string;
}

export interface LayoutOptions {
  /** Distance between layers. */
  layerGap?: number;
  /** Distance between nodes in one layer. */
  nodeGap?: number;
  direction?: 'LR' | 'TB';
}

export interface Placement {
  x: number;
  y: number;
  depth: number;
}

export function depths(ids: readonly string[], edges: readonly LayoutEdge[]): Map<string, number> {
  const known = new Set(ids);
  const valid = edges.filter((e) => known.has(e.from) && known.has(e.to) && e.from !== e.to);
  const indegree = new Map(ids.map((id) => [id, 0]));
  const children = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of valid) {
    indegree.set(e.to, required(indegree, e.to) + 1);
    required(children, e.from).push(e.to);
  }
  const depth = new Map<string, number>();
  const queue = ids.filter((id) => indegree.get(id) === 0);
  for (const id of queue) depth.set(id, 0);
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const child of required(children, id)) {
      depth.set(child, Math.max(depth.get(child) ?? 0, required(depth, id) + 1));
      indegree.set(child, required(indegree, child) - 1);
      if (indegree.get(child) === 0) queue.push(child);
    }
  }
  const deepest = Math.max(-1, ...depth.values());
  for (const id of ids) if (required(indegree, id) > 0) depth.set(id, deepest + 1);
  return depth;
}

export function layoutDag(
  ids: readonly string[],
  edges: readonly LayoutEdge[],
  options: LayoutOptions = {},
): Map<string, Placement> {
  const layerGap = options.layerGap ?? 280;
  const nodeGap = options.nodeGap ?? 150;
  const depth = depths(ids, edges);
  const layers: string[][] = [];
  for (const id of ids) (layers[required(depth, id)] ??= []).push(id);

  const parents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges)
    if (parents.has(e.to) && parents.has(e.from)) required(parents, e.to).push(e.from);

  const slot = new Map<string, number>();
  const placed = new Map<string, Placement>();
  const tallest = Math.max(0, ...layers.map((l) => l?.length ?? 0));
  layers.forEach((layer, d) => {
    if (!layer) return;
    const declared = new Map(layer.map((id, i) => [id, i]));
    const score = (id: string) => {
      const ps = required(parents, id).filter((p) => slot.has(p));
      return ps.length === 0
        ? required(declared, id)
        : ps.reduce((sum, p) => sum + required(slot, p), 0) / ps.length;
    };
    const ordered =
      d === 0
        ? layer
        : [...layer].sort(
            (a, b) => score(a) - score(b) || required(declared, a) - required(declared, b),
          );
    // Center each layer against the tallest one so a chain sits in the middle of a fan-out.
    const offset = (tallest - ordered.length) / 2;
    ordered.forEach((id, i) => {
      slot.set(id, i + offset);
      const along = d * layerGap;
      const across = (i + offset) * nodeGap;
      placed.set(
        id,
        options.direction === 'TB'
          ? { x: across, y: along, depth: d }
          : { x: along, y: across, depth: d },
      );
    });
  });
  return placed;
}

export interface FitChoice {
  direction: 'LR' | 'TB';
  positions: Map<string, Placement>;
  /** The zoom at which the graph fills the view (before any max-zoom cap). */
  zoom: number;
}

/**
 * Lay the DAG out left-to-right or top-to-bottom, whichever lets it fill a `view` of that size
 * at the larger zoom (capped at `maxZoom`, ties go left-to-right): a deep pipeline in a wide
 * card, or any DAG on a phone, reads top-to-bottom instead of shrinking to illegible nodes.
 */
export function fitLayout(
  ids: readonly string[],
  edges: readonly LayoutEdge[],
  node: { width: number; height: number },
  view: { width: number; height: number } | null,
  maxZoom = 1.2,
  gap = { layer: 50, across: 28 },
): FitChoice {
  const lr = layoutDag(ids, edges, {
    direction: 'LR',
    layerGap: node.width + gap.layer,
    nodeGap: node.height + gap.across,
  });
  const tb = layoutDag(ids, edges, {
    direction: 'TB',
    layerGap: node.height + gap.layer,
    nodeGap: node.width + gap.across,
  });
  if (!view || view.width <= 0 || view.height <= 0)
    return { direction: 'LR', positions: lr, zoom: 1 };
  const zoomOf = (positions: Map<string, Placement>) => {
    const xs = [...positions.values()].map((p) => p.x);
    const ys = [...positions.values()].map((p) => p.y);
    const w = (xs.length ? Math.max(...xs) - Math.min(...xs) : 0) + node.width;
    const h = (ys.length ? Math.max(...ys) - Math.min(...ys) : 0) + node.height;
    return Math.min(view.width / w, view.height / h);
  };
  const zl = zoomOf(lr);
  const zt = zoomOf(tb);
  return Math.min(zt, maxZoom) > Math.min(zl, maxZoom) + 0.01
    ? { direction: 'TB', positions: tb, zoom: zt }
    : { direction: 'LR', positions: lr, zoom: zl };
}

/** A map entry the algorithm put there itself; its absence is a bug, not bad input. */
function required<K, V>(map: ReadonlyMap<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`internal: no entry for ${String(key)}`);
  return value;
}
