/** Result sets in the Data API's shapes (records or JSON), within its documented row limit. */
import type pg from 'pg';
import {
  columnEncoder,
  type EncodeOptions,
  type Field,
  type TypeInfo,
  UnsupportedType,
} from './encode';
import { badRequest, DataApiError } from './errors';

export class ResultEncoder {
  /** Type names by OID, read from pg_type once per type. */
  private readonly typeCache = new Map<number, TypeInfo>();

  constructor(
    private readonly maxRowBytes: number,
    /** The largest row served so far (bytes), for tests that check the limit's margin. */
    private readonly largest: { row: number },
  ) {}

  async encode(
    pool: pg.Pool,
    result: pg.QueryArrayResult,
    input: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const fields = result.fields ?? [];
    const command = result.command;
    const updated = ['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY'].includes(command)
      ? (result.rowCount ?? 0)
      : 0;
    if (!fields.length) return { numberOfRecordsUpdated: updated, generatedFields: [] };
    await this.describe(
      pool,
      fields.map((f) => f.dataTypeID),
    );
    const encodeOptions = (input.resultSetOptions ?? {}) as EncodeOptions;
    let encoders: ((text: string | null) => Field)[];
    try {
      encoders = fields.map((f) =>
        columnEncoder(f.dataTypeID, this.typeCache.get(f.dataTypeID), encodeOptions),
      );
    } catch (e) {
      if (e instanceof UnsupportedType)
        throw new DataApiError('UnsupportedResultException', 400, e.message);
      throw e;
    }
    const records = (result.rows as (string | null)[][]).map((row) =>
      row.map((value, i) => encoders[i](value)),
    );
    for (const record of records) {
      const size = Buffer.byteLength(JSON.stringify(record));
      this.largest.row = Math.max(this.largest.row, size);
      // Docs (troubleshooting): "Packet for query is too large".
      if (size > this.maxRowBytes) throw badRequest('Packet for query is too large');
    }
    const out: Record<string, unknown> = { numberOfRecordsUpdated: updated, generatedFields: [] };
    if (input.formatRecordsAs === 'JSON') {
      out.formattedRecords = JSON.stringify(
        records.map((r) => Object.fromEntries(r.map((f, i) => [fields[i].name, jsonValue(f)]))),
      );
    } else out.records = records;
    if (input.includeResultMetadata)
      out.columnMetadata = fields.map((f) => ({
        name: f.name,
        label: f.name,
        typeName: this.typeCache.get(f.dataTypeID)?.name ?? '',
        type: 0,
      }));
    return out;
  }

  private async describe(pool: pg.Pool, oids: number[]) {
    const unknown = oids.filter((o) => !this.typeCache.has(o));
    if (!unknown.length) return;
    const res = await pool.query<{ oid: number; typname: string; typtype: string }>(
      'select oid::int as oid, typname, typtype from pg_type where oid = any($1::oid[])',
      [unknown],
    );
    for (const r of res.rows)
      this.typeCache.set(Number(r.oid), { name: r.typname, kind: r.typtype });
  }
}

function jsonValue(f: Field): unknown {
  if ('isNull' in f) return null;
  if ('booleanValue' in f) return f.booleanValue;
  if ('longValue' in f) return f.longValue;
  if ('doubleValue' in f) return f.doubleValue;
  if ('stringValue' in f) return f.stringValue;
  if ('blobValue' in f) return f.blobValue;
  return f.arrayValue;
}
