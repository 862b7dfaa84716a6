/**
 * The SQL text work of the local Data API: finding `:name` placeholders and statement boundaries
 * while skipping string literals, quoted identifiers, dollar-quoted bodies, comments and `::` casts.
 */

export interface ScannedSql {
  /** The statement with each placeholder replaced by `render(name)`. */
  text: string;
  /** Placeholder names in order of appearance (a name may repeat). */
  names: string[];
  /** True when a `;` is followed by more SQL (the Data API refuses multistatements). */
  multiple: boolean;
}

const IDENT_START = /[A-Za-z_0-9]/;
const IDENT = /[A-Za-z_0-9]/;

export function scanSql(sql: string, render: (name: string) => string): ScannedSql {
  let out = '';
  const names: string[] = [];
  let multiple = false;
  let sawTerminator = false;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (sawTerminator && !/\s/.test(c)) {
      if (!(c === '-' && next === '-') && !(c === '/' && next === '*')) multiple = true;
    }
    if (c === "'" || c === '"') {
      const end = closeQuote(sql, i, c, c === "'" && /[eE]/.test(sql[i - 1] ?? ''));
      out += sql.slice(i, end);
      i = end;
      continue;
    }
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      out += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      out += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        const stop = end === -1 ? n : end + tag[0].length;
        out += sql.slice(i, stop);
        i = stop;
        continue;
      }
    }
    if (c === ':' && next === ':') {
      out += '::';
      i += 2;
      continue;
    }
    if (
      c === ':' &&
      next !== undefined &&
      IDENT_START.test(next) &&
      !IDENT.test(sql[i - 1] ?? '')
    ) {
      let j = i + 1;
      while (j < n && IDENT.test(sql[j])) j++;
      const name = sql.slice(i + 1, j);
      names.push(name);
      out += render(name);
      i = j;
      continue;
    }
    if (c === ';') sawTerminator = true;
    out += c;
    i++;
  }
  return { text: out, names, multiple };
}

function closeQuote(sql: string, start: number, quote: string, backslash: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    if (backslash && sql[i] === '\\') {
      i += 2;
      continue;
    }
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}
