/**
 * The small JSONPath subset input mappings and field rules use: `$.a.b[0].c` and `$["odd key"]`.
 * No filters or wildcards: a mapping names one value.
 */
export function parsePath(path: string): (string | number)[] | null {
  if (!path.startsWith('$')) return null;
  const parts: (string | number)[] = [];
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["([^"]*)"\]/y;
  let i = 1;
  while (i < path.length) {
    re.lastIndex = i;
    const m = re.exec(path);
    if (!m) return null;
    parts.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]));
    i = re.lastIndex;
  }
  return parts;
}

export function getPath(value: unknown, path: string): unknown {
  const parts = parsePath(path.startsWith('$') ? path : `$.${path}`);
  if (!parts) return undefined;
  let cur: unknown = value;
  for (const part of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[part];
  }
  return cur;
}
