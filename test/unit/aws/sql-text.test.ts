/** The local Data API's SQL scanner: `:name` placeholders and statement boundaries. */
import { scanSql } from '../../../infra/local/data-api/sql-text';

const scan = (sql: string) => scanSql(sql, (name) => `<${name}>`);

test('replaces named placeholders, leaves casts, literals, identifiers, comments and dollar quotes', () => {
  const out = scan(
    `select :a::uuid, ':b', "c:d", E'it\\'s :e', $$ :f $$, $tag$ :g; $tag$ -- :h\n/* :i */ from t where x = :j_2 and y=:a`,
  );
  expect(out.names).toEqual(['a', 'j_2', 'a']);
  expect(out.text).toBe(
    `select <a>::uuid, ':b', "c:d", E'it\\'s :e', $$ :f $$, $tag$ :g; $tag$ -- :h\n/* :i */ from t where x = <j_2> and y=<a>`,
  );
  expect(out.multiple).toBe(false);
});

test('a second statement after a semicolon is a multistatement; a trailing one or a comment is not', () => {
  expect(scan('select 1; select 2').multiple).toBe(true);
  expect(scan('select 1;').multiple).toBe(false);
  expect(scan('select 1; -- done').multiple).toBe(false);
  expect(scan("select ';' as s").multiple).toBe(false);
  expect(scan('do $$ begin perform 1; perform 2; end $$').multiple).toBe(false);
});

test('array slices and time literals are not placeholders', () => {
  expect(scan("select a[1:2], '10:30'::time").names).toEqual([]);
});
