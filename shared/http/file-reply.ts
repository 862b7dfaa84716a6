/** The answer of an export route: YAML when `?format=yaml` or the Accept header asks for it, else JSON. */
import { fileFormat, type FileFormat } from '../catalog/file-format';
import { Reply, TextReply } from './api-handler';

export async function fileReply(
  file: unknown,
  basename: string,
  format: FileFormat | undefined,
  accept: string | undefined,
): Promise<Reply | TextReply> {
  const chosen = fileFormat(format, accept);
  const disposition = { 'content-disposition': `attachment; filename="${basename}.${chosen}"` };
  if (chosen === 'json') return new Reply(200, file, disposition);
  // The YAML library loads on first use (the API's cold start does not carry it).
  const { renderFile } = await import('../catalog/render-file');
  return new TextReply(renderFile(file, 'yaml'), 'application/yaml; charset=utf-8', disposition);
}
