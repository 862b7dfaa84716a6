/**
 * Source bytes → plain text for chunking: txt, markdown, source code, HTML, JSON and PDF (unpdf,
 * a maintained pdf.js build). A file that cannot be read throws ExtractionFailed with a reason a
 * person can act on; the ASL catches it and fails that document only (never retried).
 */
import { ExtractionFailed } from '../errors';

export type SourceKind = 'text' | 'markdown' | 'code' | 'html' | 'json' | 'pdf';

const CODE_EXT =
  /\.(ts|tsx|js|jsx|mjs|cjs|py|rb|go|rs|java|kt|scala|c|h|cc|cpp|hpp|cs|php|swift|sh|bash|sql|yaml|yml|toml|ini|css|scss|vue|svelte|tf|proto|graphql)$/i;

export function detectKind(
  contentType: string | null | undefined,
  filename: string | null | undefined,
): SourceKind | undefined {
  const ct = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const name = (filename ?? '').toLowerCase();
  if (ct === 'application/pdf' || name.endsWith('.pdf')) return 'pdf';
  if (ct === 'text/html' || ct === 'application/xhtml+xml' || /\.html?$/.test(name)) return 'html';
  if (ct === 'application/json' || ct.endsWith('+json') || name.endsWith('.json')) return 'json';
  if (ct === 'text/markdown' || /\.(md|markdown|mdx)$/.test(name)) return 'markdown';
  if (
    CODE_EXT.test(name) ||
    /^(text|application)\/(x-)?(typescript|javascript|python|x-sh|sql|yaml|x-yaml|toml)$/.test(ct)
  )
    return 'code';
  if (
    ct.startsWith('text/') ||
    name.endsWith('.txt') ||
    name.endsWith('.csv') ||
    name.endsWith('.log')
  )
    return 'text';
  return undefined;
}

export async function extractText(bytes: Uint8Array, kind: SourceKind): Promise<string> {
  const text =
    kind === 'pdf'
      ? await extractPdf(bytes)
      : kind === 'html'
        ? htmlToText(decodeUtf8(bytes))
        : kind === 'json'
          ? jsonToText(decodeUtf8(bytes))
          : decodeUtf8(bytes);
  const normalized = text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
  if (!normalized)
    throw new ExtractionFailed(
      kind === 'pdf'
        ? 'the PDF has no extractable text (scanned pages need OCR, which is not supported)'
        : 'the document is empty',
    );
  return normalized;
}

function decodeUtf8(bytes: Uint8Array): string {
  // A NUL byte in the first 8 KiB means binary, whatever the name says.
  if (bytes.subarray(0, 8192).includes(0))
    throw new ExtractionFailed(
      'the file looks binary, not text: upload txt, md, html, json, pdf or source code',
    );
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new ExtractionFailed('the file is not valid UTF-8 text');
  }
}

async function extractPdf(bytes: Uint8Array): Promise<string> {
  const { getDocumentProxy, extractText: pdfText } = await import('unpdf');
  try {
    // pdf.js takes ownership of (detaches) the buffer: give it a copy.
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    try {
      const { text } = await pdfText(pdf, { mergePages: false });
      return (text as string[]).join('\n\n');
    } finally {
      // pdf.js 6 (in unpdf 1.8) has no proxy destroy(): the loading task destroys the document.
      await pdf.loadingTask.destroy().catch(() => undefined);
    }
  } catch (e) {
    const name = (e as Error)?.name ?? '';
    if (name === 'PasswordException')
      throw new ExtractionFailed(
        'the PDF is encrypted (password-protected): upload an unprotected copy',
      );
    if (
      name === 'InvalidPDFException' ||
      name === 'FormatError' ||
      name === 'UnknownErrorException'
    ) {
      throw new ExtractionFailed(`the file is not a readable PDF (${(e as Error).message})`);
    }
    throw new ExtractionFailed(`the PDF could not be read: ${(e as Error)?.message ?? String(e)}`);
  }
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** Keeps headings (as markdown `#`), paragraphs, list items and <pre> blocks: the chunker uses them. */
export function htmlToText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|noscript|template|svg|head)\b[\s\S]*?<\/\1>/gi, '')
    .replace(
      /<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1>/gi,
      (_, level, inner) =>
        `\n\n${'#'.repeat(Number(level))} ${inner.replace(/<[^>]+>/g, '').trim()}\n\n`,
    )
    .replace(
      /<pre\b[^>]*>([\s\S]*?)<\/pre>/gi,
      (_, inner) => `\n\n\`\`\`\n${inner.replace(/<[^>]+>/g, '')}\n\`\`\`\n\n`,
    )
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(
      /<\/(p|div|section|article|ul|ol|table|tr|blockquote|header|footer|main|nav)>/gi,
      '\n\n',
    )
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#')
        return String.fromCodePoint(
          e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10),
        );
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t]+/g, ' ')
    .replace(/\n[ \t]+/g, '\n')
    .replace(/\n{3,}/g, '\n\n');
}

function jsonToText(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch (e) {
    throw new ExtractionFailed(`the file is not valid JSON: ${(e as Error).message}`);
  }
}
