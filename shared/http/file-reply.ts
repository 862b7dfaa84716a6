/** The answer of an export route: YAML when `?format=yaml` or the Accept header asks for it, else JSON. */
import { fileFormat, renderFile, type FileFormat } from '../catalog/file-format';
import { Reply, TextReply } from './api-handler';

export function fileReply(
  file: unknown,
  basename: string,
  format: FileFormat | undefined,
  accept: string | undefined,
): Reply | TextReply {
  const chosen = fileFormat(format, accept);
  const disposition = { 'content-disposition': `attachment; filename="${basename}.${chosen}"` };
  return chosen === 'yaml'
    ? new TextReply(renderFile(file, 'yaml'), 'application/yaml; charset=utf-8', disposition)
    : new Reply(200, file, disposition);
}
