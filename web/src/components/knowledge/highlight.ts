/**
 * Query-term highlighting for search hits, as plain data: the text split into segments, each
 * marked or not. The view builds React elements from them (never HTML strings), so chunk text
 * and queries cannot inject markup.
 */

export interface Segment {
  text: string;
  match: boolean;
}

/** Words too common to be worth marking. */
const STOP = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'by',
  'for',
  'from',
  'how',
  'in',
  'is',
  'it',
  'of',
  'on',
  'or',
  'the',
  'to',
  'was',
  'what',
  'when',
  'where',
  'which',
  'who',
  'why',
  'with',
]);

/** The distinct words of a query (letters and digits, two or more characters, stop words left out), longest first. */
export function queryTerms(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}_'-]*/gu) ?? [];
  const terms = [...new Set(words.map((w) => w.replace(/['-]+$/, '')))].filter(
    (w) => w.length >= 2 && !STOP.has(w),
  );
  return terms.sort((a, b) => b.length - a.length);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `text` cut into segments where each occurrence of a term (case-insensitive, at the start of a
 * word, so "chunk" also marks "chunking") is a match.
 */
export function highlightSegments(text: string, terms: readonly string[]): Segment[] {
  if (!text) return [];
  if (terms.length === 0) return [{ text, match: false }];
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${terms.map(escapeRegExp).join('|')})`, 'giu');
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ text: text.slice(last, at), match: false });
    out.push({ text: m[0], match: true });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), match: false });
  return out;
}

/** A chunk's heading path without the document title it repeats ("Guide › Guide › Setup" → "Setup"). */
export function headingTrail(heading: string | undefined, title: string): string {
  if (!heading) return '';
  const parts = heading
    .split('›')
    .map((p) => p.trim())
    .filter(Boolean);
  const deduped = parts.filter((p, i) => p !== parts[i - 1]);
  while (deduped.length && deduped[0] === title) deduped.shift();
  return deduped.join(' › ');
}

/** Chunk text for display: runs of blank lines shown as one line break. */
export function compactText(text: string): string {
  return text.replace(/\n[ \t]*(\n[ \t]*)+/g, '\n').trim();
}
