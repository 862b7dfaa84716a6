/**
 * Structure-aware chunking. The text is cut into segments that should not be split (sentences,
 * list items, heading lines, whole fenced code blocks when they fit), then packed greedily into
 * chunks of at most `size` characters. A heading always starts a new chunk (a chunk never spans
 * two sections) and records its section path; consecutive chunks of a section overlap by whole
 * trailing segments up to `overlap` characters, or by a word-aligned tail when no whole segment
 * fits. Every chunk is an exact slice of the text: `text === source.slice(start, end)`.
 */
export interface ChunkOptions {
  size: number;
  overlap: number;
}

export interface TextChunk {
  ordinal: number;
  text: string;
  start: number;
  end: number;
  /** Section path, e.g. `Install › Linux`; empty before the first heading. */
  heading: string;
}

interface Segment {
  start: number;
  end: number;
  heading?: string;
  level?: number;
}

const FENCE = /^\s{0,3}(```|~~~)/;
const ATX = /^\s{0,3}(#{1,6})\s+(\S.*)$/;
const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s+/;
const SENTENCE_END = /[.!?]["')\]]?\s+(?=["'([]?[A-Z0-9])/g;

export function chunkText(source: string, options: ChunkOptions): TextChunk[] {
  const size = Math.max(50, options.size);
  const overlap = Math.min(Math.max(0, options.overlap), Math.floor(size / 2));
  const segments = segment(source, size);
  const chunks: TextChunk[] = [];
  const path: string[] = [];
  const headingAt = new Map<number, string>();
  // Section path in force at each segment index.
  segments.forEach((s, i) => {
    if (s.heading !== undefined) {
      path.length = Math.max(0, (s.level ?? 1) - 1);
      path[(s.level ?? 1) - 1] = s.heading;
    }
    headingAt.set(i, path.filter(Boolean).join(' › '));
  });

  let i = 0;
  let startOverride: number | undefined;
  while (i < segments.length) {
    const start = startOverride ?? segments[i].start;
    let j = i;
    let onlyHeadings = segments[i].heading !== undefined;
    while (
      j + 1 < segments.length &&
      segments[j + 1].end - start <= size &&
      (segments[j + 1].heading === undefined || onlyHeadings)
    ) {
      j++;
      onlyHeadings &&= segments[j].heading !== undefined;
    }
    chunks.push({
      ordinal: chunks.length,
      text: source.slice(start, segments[j].end),
      start,
      end: segments[j].end,
      heading: headingAt.get(j) ?? '',
    });
    if (j + 1 >= segments.length) break;
    startOverride = undefined;
    if (segments[j + 1].heading !== undefined || overlap === 0) {
      i = j + 1;
      continue;
    }
    let next = j + 1;
    for (let m = j; m > i && segments[j].end - segments[m].start <= overlap; m--) next = m;
    if (next === j + 1 && segments[j].heading === undefined) {
      // No whole segment fits the overlap: carry a word-aligned tail of the last segment.
      const tail = wordBoundaryAfter(
        source,
        Math.max(segments[j].start, segments[j].end - overlap),
        segments[j].end,
      );
      if (tail < segments[j].end && tail > start) {
        next = j;
        startOverride = tail;
      }
    }
    i = next;
  }
  return chunks;
}

function wordBoundaryAfter(text: string, from: number, limit: number): number {
  let k = from;
  if (k > 0 && /\S/.test(text[k - 1])) while (k < limit && /\S/.test(text[k])) k++;
  while (k < limit && /\s/.test(text[k])) k++;
  return k;
}

/** Lines → blocks (headings, code fences, list items, paragraphs) → segments with exact offsets. */
function segment(text: string, size: number): Segment[] {
  const out: Segment[] = [];
  const lines: { start: number; end: number; text: string }[] = [];
  for (let pos = 0; pos <= text.length; ) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    lines.push({ start: pos, end, text: text.slice(pos, end) });
    if (nl === -1) break;
    pos = nl + 1;
  }
  let para: { start: number; end: number } | undefined;
  const flush = () => {
    if (para) sentences(text, para.start, para.end, size, out);
    para = undefined;
  };
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l];
    const fence = FENCE.exec(line.text)?.[1];
    if (fence) {
      flush();
      let m = l + 1;
      while (m < lines.length && !lines[m].text.trimStart().startsWith(fence)) m++;
      const last = Math.min(m, lines.length - 1);
      if (lines[last].end - line.start <= size)
        out.push({ start: line.start, end: lines[last].end });
      else
        for (let k = l; k <= last; k++) pushTrimmed(text, lines[k].start, lines[k].end, size, out);
      l = last;
      continue;
    }
    const atx = ATX.exec(line.text);
    const setext =
      !atx &&
      para === undefined &&
      line.text.trim() &&
      l + 1 < lines.length &&
      /^\s{0,3}(=+|-{2,})\s*$/.test(lines[l + 1].text);
    if (atx || setext) {
      flush();
      const level = atx ? atx[1].length : lines[l + 1].text.includes('=') ? 1 : 2;
      const end = setext ? lines[l + 1].end : line.end;
      const s = trimmed(text, line.start, end);
      if (s) out.push({ ...s, heading: atx ? atxTitle(atx[2]) : line.text.trim(), level });
      if (setext) l++;
      continue;
    }
    if (!line.text.trim()) {
      flush();
      continue;
    }
    if (LIST_ITEM.test(line.text)) {
      flush();
      para = { start: line.start, end: line.end };
      continue;
    }
    para = para ? { start: para.start, end: line.end } : { start: line.start, end: line.end };
  }
  flush();
  return out;
}

function sentences(text: string, start: number, end: number, size: number, out: Segment[]): void {
  const block = text.slice(start, end);
  let from = 0;
  SENTENCE_END.lastIndex = 0;
  for (let m = SENTENCE_END.exec(block); m; m = SENTENCE_END.exec(block)) {
    pushTrimmed(text, start + from, start + m.index + m[0].length, size, out);
    from = m.index + m[0].length;
  }
  pushTrimmed(text, start + from, end, size, out);
}

function trimmed(
  text: string,
  start: number,
  end: number,
): { start: number; end: number } | undefined {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end > start ? { start, end } : undefined;
}

/** A segment longer than a chunk is cut at whitespace (or hard, for one enormous word). */
function pushTrimmed(text: string, start: number, end: number, size: number, out: Segment[]): void {
  const s = trimmed(text, start, end);
  if (!s) return;
  let from = s.start;
  while (s.end - from > size) {
    let cut = from + size;
    const space = text.lastIndexOf(' ', cut);
    if (space > from + size / 2) cut = space;
    const piece = trimmed(text, from, cut);
    if (piece) out.push(piece);
    from = cut;
  }
  const rest = trimmed(text, from, s.end);
  if (rest) out.push(rest);
}

/** An ATX heading's text without its optional closing `#` sequence (CommonMark: after a space). */
function atxTitle(rest: string): string {
  const text = rest.trimEnd();
  let cut = text.length;
  while (cut > 0 && text[cut - 1] === '#') cut--;
  if (cut === 0) return text;
  return cut < text.length && /\s/.test(text[cut - 1]) ? text.slice(0, cut).trimEnd() : text;
}
