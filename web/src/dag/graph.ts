/** Small graph facts the editor needs, tolerant of half-built graphs. */
import type { LayoutEdge } from './layout';

/** Every node with a path to `id` (its upstream), nearest first. */
export function ancestors(id: string, edges: readonly LayoutEdge[]): string[] {
  const parents = new Map<string, string[]>();
  for (const e of edges) {
    const list = parents.get(e.to) ?? [];
    list.push(e.from);
    parents.set(e.to, list);
  }
  const seen = new Set<string>();
  const order: string[] = [];
  const queue = [...(parents.get(id) ?? [])];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (seen.has(next) || next === id) continue;
    seen.add(next);
    order.push(next);
    queue.push(...(parents.get(next) ?? []));
  }
  return order;
}

/** Whether adding `from → to` would close a cycle. */
export function wouldCycle(from: string, to: string, edges: readonly LayoutEdge[]): boolean {
  return from === to || ancestors(from, edges).includes(to);
}

/** A node id (`^[a-z][a-z0-9_-]*$`) derived from a name, unique among `taken`. */
export function uniqueNodeId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  let stem = base
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 40);
  if (!stem) stem = 'step';
  if (!used.has(stem)) return stem;
  for (let i = 2; ; i++) if (!used.has(`${stem}-${i}`)) return `${stem}-${i}`;
}
