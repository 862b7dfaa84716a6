/** Parameter binding as Aurora PostgreSQL's Data API does it: an untyped string is `text`; a hint types it. */
import { badRequest, DataApiError } from './errors';
import { scanSql } from './sql-text';

export interface SqlParameter {
  name?: string;
  typeHint?: string;
  value?: Record<string, unknown>;
}

const HINT_TYPES: Record<string, string> = {
  UUID: 'uuid',
  DECIMAL: 'numeric',
  TIMESTAMP: 'timestamp',
  DATE: 'date',
  TIME: 'time',
  JSON: 'json',
};
const HINT_FORMATS: Record<string, RegExp> = {
  DATE: /^\d{4}-\d{2}-\d{2}$/,
  TIME: /^\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/,
  TIMESTAMP: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,9})?$/,
};

export function bindValue(p: SqlParameter): { value: unknown; type?: string } {
  const v = p.value ?? {};
  if (v.isNull === true || Object.keys(v).length === 0) return { value: null };
  if (typeof v.stringValue === 'string') {
    const hint = p.typeHint;
    if (hint === undefined) return { value: v.stringValue, type: 'text' };
    const type = HINT_TYPES[hint];
    if (!type) throw badRequest(`Invalid typeHint ${hint}`);
    const format = HINT_FORMATS[hint];
    if (format && !format.test(v.stringValue))
      throw badRequest(`Value ${JSON.stringify(v.stringValue)} is not a valid ${hint}`);
    return { value: v.stringValue, type };
  }
  if (typeof v.longValue === 'number') return { value: String(v.longValue), type: 'bigint' };
  if (typeof v.doubleValue === 'number')
    return { value: String(v.doubleValue), type: 'double precision' };
  if (typeof v.booleanValue === 'boolean') return { value: v.booleanValue, type: 'boolean' };
  if (typeof v.blobValue === 'string')
    return { value: Buffer.from(v.blobValue, 'base64'), type: 'bytea' };
  throw badRequest(`Unsupported parameter value for ${p.name}`);
}

/** Named parameters (`:name`) to positional ones, each typed as the Data API types it. */
export function bindStatement(
  sql: string,
  parameters: SqlParameter[] | undefined,
): { text: string; values: unknown[] } {
  const byName = new Map<string, SqlParameter>();
  for (const p of parameters ?? []) {
    if (!p.name) throw badRequest('Parameter name is required');
    if (p.value && 'arrayValue' in p.value) throw badRequest('Array parameters are not supported.');
    byName.set(p.name, p);
  }
  const positions = new Map<string, number>();
  const values: unknown[] = [];
  const scanned = scanSql(sql, (name) => {
    const p = byName.get(name);
    if (!p) throw badRequest(`No value specified for parameter ${name}`);
    let position = positions.get(name);
    if (position === undefined) {
      const { value, type } = bindValue(p);
      values.push(value);
      position = values.length;
      positions.set(name, position);
      return type ? `($${position}::${type})` : `$${position}`;
    }
    const type = bindValue(p).type;
    return type ? `($${position}::${type})` : `$${position}`;
  });
  if (scanned.multiple)
    throw new DataApiError('ValidationException', 400, "Multistatements aren't supported.");
  return { text: scanned.text, values };
}
