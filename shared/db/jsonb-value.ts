/**
 * A JSON value as a jsonb column gives it back: jsonb stores an object's keys shorter first, then
 * by their UTF-8 bytes (PostgreSQL's jsonb documentation), so an object read back can list its
 * keys in another order than it was written, and `JSON.stringify` of it differs. Values that JSON
 * cannot hold are dropped as `JSON.stringify` drops them.
 */
export function asJsonb(value: unknown): unknown {
  return reorder(JSON.parse(JSON.stringify(value) ?? 'null'));
}

function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).map((key) => ({ key, bytes: Buffer.from(key, 'utf8') }));
  keys.sort((a, b) => a.bytes.length - b.bytes.length || Buffer.compare(a.bytes, b.bytes));
  return Object.fromEntries(keys.map(({ key }) => [key, reorder(Reflect.get(value, key))]));
}
