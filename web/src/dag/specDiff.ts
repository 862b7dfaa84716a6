/** What changed between two saved versions of a workflow: nodes by id, edges by their ends, inputs by name. */
export interface DiffLine {
  kind: 'added' | 'removed' | 'changed';
  /** e.g. `node review`, `edge review → write`, `input topic`, `name`. */
  what: string;
  /** For changes: the fields that differ, e.g. `prompt, agent`. */
  detail?: string;
}

interface SpecLike {
  name: string;
  description?: string;
  inputs?: readonly { name: string }[];
  nodes: readonly { id: string }[];
  edges?: readonly { from: string; to: string }[];
}

export function diffSpecs(before: SpecLike, after: SpecLike): DiffLine[] {
  const lines: DiffLine[] = [];
  if (before.name !== after.name) lines.push({ kind: 'changed', what: 'name' });
  if ((before.description ?? '') !== (after.description ?? ''))
    lines.push({ kind: 'changed', what: 'description' });
  lines.push(...diffBy('input', before.inputs ?? [], after.inputs ?? [], (f) => f.name));
  lines.push(...diffBy('node', before.nodes, after.nodes, (n) => n.id));
  lines.push(
    ...diffBy('edge', before.edges ?? [], after.edges ?? [], (e) => `${e.from} → ${e.to}`),
  );
  return lines;
}

function diffBy<T extends object>(
  label: string,
  before: readonly T[],
  after: readonly T[],
  key: (item: T) => string,
): DiffLine[] {
  const old = new Map(before.map((x) => [key(x), x]));
  const now = new Map(after.map((x) => [key(x), x]));
  const lines: DiffLine[] = [];
  for (const [k, x] of now) {
    const was = old.get(k);
    if (!was) lines.push({ kind: 'added', what: `${label} ${k}` });
    else {
      const fields = changedFields(was, x);
      if (fields.length > 0)
        lines.push({ kind: 'changed', what: `${label} ${k}`, detail: fields.join(', ') });
    }
  }
  for (const k of old.keys())
    if (!now.has(k)) lines.push({ kind: 'removed', what: `${label} ${k}` });
  return lines;
}

function changedFields(a: object, b: object): string[] {
  const av = new Map(Object.entries(a));
  const bv = new Map(Object.entries(b));
  const keys = [...new Set([...av.keys(), ...bv.keys()])];
  return keys.filter((k) => JSON.stringify(av.get(k)) !== JSON.stringify(bv.get(k)));
}
