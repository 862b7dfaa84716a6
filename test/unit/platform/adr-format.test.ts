/** Every ADR says whether it still holds and since when: a Status line and a Date line under its title. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

const DIR = new URL('../../../docs/adr/', import.meta.url);

describe('docs/adr', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.md'));

  it('has ADRs numbered uniquely', () => {
    const numbers = files.map((f) => f.slice(0, 3));
    expect(files.length).toBeGreaterThan(20);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it.each(files)('%s has a title, a Status line and an ISO Date line', (file) => {
    // A list item (`- Status: …`) reads the same as a plain line.
    const lines = readFileSync(new URL(file, DIR), 'utf8')
      .split('\n')
      .map((l) => l.replace(/^- /, ''));
    expect(lines[0]).toMatch(new RegExp(`^# ${file.slice(0, 3)}\\. \\S`));
    expect(lines.find((l) => l.startsWith('Status: '))).toMatch(
      /^Status: (proposed|accepted|superseded|deprecated)\b/,
    );
    expect(lines.find((l) => l.startsWith('Date: '))).toMatch(/^Date: \d{4}-\d{2}-\d{2}$/);
  });
});
