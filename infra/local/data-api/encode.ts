/**
 * Result encoding of the local Data API: PostgreSQL text output → Data API `Field` unions, with
 * the Aurora PostgreSQL type support list (docs: data-api-operations, "supports following Aurora
 * PostgreSQL scalar types" and "array types"). Anything else is an UnsupportedResultException.
 */

export type Field =
  | { isNull: true }
  | { booleanValue: boolean }
  | { longValue: number }
  | { doubleValue: number }
  | { stringValue: string }
  | { blobValue: string }
  | { arrayValue: ArrayValue };

export type ArrayValue =
  | { booleanValues: boolean[] }
  | { longValues: number[] }
  | { doubleValues: number[] }
  | { stringValues: string[] }
  | { arrayValues: ArrayValue[] };

type Scalar = 'bool' | 'long' | 'double' | 'string' | 'decimal' | 'blob' | 'timestamptz' | 'void';

/** Built-in type OIDs (pg_type.dat). */
const SCALARS: Record<number, Scalar> = {
  16: 'bool',
  17: 'blob',
  20: 'long',
  21: 'long',
  23: 'long',
  26: 'long',
  19: 'string', // name
  25: 'string', // text
  114: 'string', // json
  3802: 'string', // jsonb
  650: 'string', // cidr
  869: 'string', // inet
  700: 'double',
  701: 'double',
  1042: 'string', // char(n)
  1043: 'string', // varchar
  1082: 'string', // date
  1083: 'string', // time
  1114: 'string', // timestamp
  1184: 'timestamptz',
  1700: 'decimal',
  2950: 'string', // uuid
  2278: 'void',
};

/** Array OIDs → element kind. uuid[] comes back (the docs list it); bytea[] and jsonb[] do not. */
const ARRAYS: Record<number, Scalar> = {
  1000: 'bool',
  1561: 'string', // bit[]
  1182: 'string', // date[]
  1231: 'decimal',
  1022: 'double',
  1021: 'double',
  1007: 'long',
  1005: 'long',
  1016: 'long',
  199: 'string', // json[]
  1009: 'string', // text[]
  1014: 'string', // char(n)[]
  1015: 'string', // varchar[]
  1003: 'string', // name[]
  1183: 'string', // time[]
  1115: 'string', // timestamp[]
  1185: 'timestamptz',
  2951: 'string', // uuid[]
};

export interface TypeInfo {
  name: string;
  /** pg_type.typtype: 'e' for enums. */
  kind: string;
}

export class UnsupportedType extends Error {
  constructor(readonly typeName: string) {
    super(`The result contains the unsupported data type ${typeName}.`);
  }
}

export interface EncodeOptions {
  decimalReturnType?: string;
  longReturnType?: string;
}

/** An encoder for one column, given its type OID and (for non-built-ins) its pg_type row. */
export function columnEncoder(
  oid: number,
  info: TypeInfo | undefined,
  options: EncodeOptions,
): (text: string | null) => Field {
  const scalar =
    SCALARS[oid] ?? (info && (info.kind === 'e' || info.name === 'vector') ? 'string' : undefined);
  if (scalar)
    return (text) => (text === null ? { isNull: true } : encodeScalar(scalar, text, options));
  const element = ARRAYS[oid];
  if (element)
    return (text) =>
      text === null
        ? { isNull: true }
        : { arrayValue: encodeArray(element, parseArray(text), options) };
  throw new UnsupportedType(info?.name ?? `oid ${oid}`);
}

function encodeScalar(kind: Scalar, text: string, options: EncodeOptions): Field {
  switch (kind) {
    case 'bool':
      return { booleanValue: text === 't' };
    case 'long':
      return options.longReturnType === 'STRING'
        ? { stringValue: text }
        : { longValue: Number(text) };
    case 'double':
      return { doubleValue: Number(text) };
    case 'decimal':
      if (options.decimalReturnType === 'DOUBLE_OR_LONG')
        return /^-?\d+$/.test(text) ? { longValue: Number(text) } : { doubleValue: Number(text) };
      return { stringValue: text };
    case 'blob':
      return { blobValue: Buffer.from(text.slice(2), 'hex').toString('base64') };
    case 'timestamptz':
      return { stringValue: utc(text) };
    case 'void':
      return { isNull: true };
    default:
      return { stringValue: text };
  }
}

/** The session runs in UTC; drop the `+00` the server appends (docs: TIMESTAMPTZ is returned in UTC). */
function utc(text: string): string {
  return text.replace(/\+00$/, '');
}

type Nested = (string | null | Nested)[];

function encodeArray(kind: Scalar, items: Nested, options: EncodeOptions): ArrayValue {
  if (items.some((i) => Array.isArray(i)))
    return {
      arrayValues: items.map((i) => encodeArray(kind, Array.isArray(i) ? i : [i], options)),
    };
  const flat = items as (string | null)[];
  switch (kind) {
    case 'bool':
      return { booleanValues: flat.map((v) => v === 't') };
    case 'long':
      return { longValues: flat.map((v) => Number(v)) };
    case 'double':
      return { doubleValues: flat.map((v) => Number(v)) };
    case 'timestamptz':
      return { stringValues: flat.map((v) => (v === null ? '' : utc(v))) };
    default:
      return { stringValues: flat.map((v) => v ?? '') };
  }
}

/** PostgreSQL array text output: `{a,"b c",NULL,{1,2}}`. */
export function parseArray(text: string): Nested {
  let i = 0;
  const parse = (): Nested => {
    const out: Nested = [];
    i++; // '{'
    while (i < text.length && text[i] !== '}') {
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '{') {
        out.push(parse());
        continue;
      }
      if (text[i] === '"') {
        let value = '';
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\') i++;
          value += text[i];
          i++;
        }
        i++;
        out.push(value);
        continue;
      }
      let j = i;
      while (j < text.length && text[j] !== ',' && text[j] !== '}') j++;
      const raw = text.slice(i, j);
      out.push(raw === 'NULL' ? null : raw);
      i = j;
    }
    i++; // '}'
    return out;
  };
  // A lower bound decoration like `[0:1]={...}` starts after '='.
  if (text[0] === '[') i = text.indexOf('=') + 1;
  return parse();
}
