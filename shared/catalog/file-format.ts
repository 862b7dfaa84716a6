/** How workflow and agent files are written (ADR 140): one renderer for the API and the CLI. */
export type FileFormat = 'json' | 'yaml';

/** `?format=` wins; else YAML when the Accept header asks for it; else JSON. */
export function fileFormat(format: FileFormat | undefined, accept: string | undefined): FileFormat {
  return format ?? (/\b(application|text)\/(x-)?yaml\b/i.test(accept ?? '') ? 'yaml' : 'json');
}
