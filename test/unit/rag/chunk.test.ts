import { chunkText } from '../../../shared/rag/chunk';

const doc = [
  '# Guide',
  '',
  'Intro sentence one. Intro sentence two is a little longer than the first one.',
  '',
  '## Install',
  '',
  'Run the installer. Then check the version. Then restart the shell so the path is picked up.',
  '',
  '```sh',
  'npm ci',
  'npm start',
  '```',
  '',
  '## Configure',
  '',
  '- set the region',
  '- set the key',
].join('\n');

test('every chunk is an exact slice of the source with its section path', () => {
  const chunks = chunkText(doc, { size: 120, overlap: 30 });

  for (const c of chunks) expect(doc.slice(c.start, c.end)).toBe(c.text);
  expect(chunks.map((c) => c.ordinal)).toEqual(chunks.map((_, i) => i));
  expect(chunks[0].heading).toBe('Guide');
  expect(chunks.find((c) => c.text.includes('npm ci'))!.heading).toBe('Guide › Install');
  expect(chunks[chunks.length - 1].heading).toBe('Guide › Configure');
});

test('a heading always starts a new chunk and a fitting code block is never split', () => {
  const chunks = chunkText(doc, { size: 120, overlap: 30 });

  for (const c of chunks.slice(1)) {
    if (c.text.includes('## ')) expect(c.text.startsWith('## ')).toBe(true);
  }
  const code = chunks.filter((c) => c.text.includes('npm ci'));
  expect(code.every((c) => c.text.includes('```sh\nnpm ci\nnpm start\n```'))).toBe(true);
});

test('chunks respect the size and consecutive chunks of one section overlap', () => {
  const text = Array.from(
    { length: 30 },
    (_, i) => `Sentence number ${i} says something about topic ${i}.`,
  ).join(' ');

  const chunks = chunkText(text, { size: 200, overlap: 60 });

  expect(chunks.length).toBeGreaterThan(5);
  for (const c of chunks) expect(c.end - c.start).toBeLessThanOrEqual(200);
  for (let i = 1; i < chunks.length; i++) {
    expect(chunks[i].start).toBeLessThan(chunks[i - 1].end);
    expect(chunks[i - 1].end - chunks[i].start).toBeLessThanOrEqual(60);
  }
  expect(chunks[chunks.length - 1].end).toBe(text.length);
});

test('no overlap when overlap is 0, and an enormous paragraph is cut at word boundaries', () => {
  const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');

  const chunks = chunkText(words, { size: 300, overlap: 0 });

  for (let i = 1; i < chunks.length; i++)
    expect(chunks[i].start).toBeGreaterThanOrEqual(chunks[i - 1].end);
  for (const c of chunks) expect(c.text).toMatch(/^word\d+(?: [^ ]+)* word\d+$/);
  expect(chunks.map((c) => c.text).join(' ')).toBe(words);
});

test('setext headings and HTML-derived headings are recognised', () => {
  const chunks = chunkText('Title\n=====\n\nBody text here.\n\nPart two\n--------\n\nMore text.', {
    size: 500,
    overlap: 0,
  });

  expect(chunks.map((c) => c.heading)).toEqual(['Title', 'Title › Part two']);
});
