/**
 * A workflow or agent file as text (ADR 140). Its own module because it carries the YAML library:
 * the API loads it only when an export asks for YAML.
 */
import YAML from 'yaml';
import type { FileFormat } from './file-format';

/** YAML (block style, no line folding) or two-space JSON, ending with a newline. */
export function renderFile(file: unknown, format: FileFormat): string {
  return format === 'yaml'
    ? YAML.stringify(file, { lineWidth: 0 })
    : `${JSON.stringify(file, null, 2)}\n`;
}
