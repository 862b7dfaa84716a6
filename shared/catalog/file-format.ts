/** How workflow and agent files are written (ADR 140): one renderer for the API and the CLI. */
import YAML from 'yaml';

export type FileFormat = 'json' | 'yaml';

/** YAML (block style, no line folding) or two-space JSON, ending with a newline. */
export function renderFile(file: unknown, format: FileFormat): string {
  return format === 'yaml'
    ? YAML.stringify(file, { lineWidth: 0 })
    : `${JSON.stringify(file, null, 2)}\n`;
}

/** `?format=` wins; else YAML when the Accept header asks for it; else JSON. */
export function fileFormat(format: FileFormat | undefined, accept: string | undefined): FileFormat {
  return format ?? (/\b(application|text)\/(x-)?yaml\b/i.test(accept ?? '') ? 'yaml' : 'json');
}
