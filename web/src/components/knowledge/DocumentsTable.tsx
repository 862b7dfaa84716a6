import { DOCUMENT_IN_PROGRESS, type KnowledgeDocument } from '../../api/types';
import { formatDateTime } from '../../format';
import { ActionsHeader } from '../ActionsHeader';
import { ConfirmButton } from '../ConfirmButton';
import { StatusBadge } from '../StatusBadge';

interface DocumentsTableProps {
  documents: readonly KnowledgeDocument[];
  /** Present for dev and above only. */
  onDelete?: (doc: KnowledgeDocument) => Promise<void>;
}

/** A base's documents: ingestion status (with the reason when failed), chunk count, when added. */
export function DocumentsTable({ documents, onDelete }: DocumentsTableProps) {
  if (documents.length === 0)
    return (
      <p className="muted" data-testid="docs-empty">
        No documents yet.
      </p>
    );
  return (
    <div className="table-wrap">
      <table className="table table-stack" data-testid="docs-table">
        <caption className="sr-only">Documents</caption>
        <thead>
          <tr>
            <th scope="col">Document</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Chunks
            </th>
            <th scope="col">Added</th>
            {onDelete && <ActionsHeader />}
          </tr>
        </thead>
        <tbody>
          {documents.map((d) => {
            const busy = DOCUMENT_IN_PROGRESS.includes(d.status);
            return (
              <tr key={d.id} data-testid="doc-row" data-doc-id={d.id} data-status={d.status}>
                <td data-label="Document">
                  <span className="doc-title">{d.title}</span>
                  {d.filename && d.filename !== d.title && (
                    <span className="muted small mono"> {d.filename}</span>
                  )}
                  {d.status === 'failed' && d.error && (
                    <div className="text-danger small" data-testid="doc-error">
                      {d.error}
                    </div>
                  )}
                </td>
                <td data-label="Status" className={busy ? 'is-running' : undefined}>
                  <StatusBadge status={d.status} />
                </td>
                <td data-label="Chunks" className="num" data-testid="doc-chunks">
                  {busy && d.chunkCount === 0 ? '—' : d.chunkCount}
                  {d.reusedChunkCount > 0 && (
                    <span className="muted small" title="Embeddings reused from identical content">
                      {' '}
                      ({d.reusedChunkCount} reused)
                    </span>
                  )}
                </td>
                <td data-label="Added">{formatDateTime(d.createdAt)}</td>
                {onDelete && (
                  <td data-label="" className="num">
                    <ConfirmButton
                      className="btn btn-danger-ghost btn-sm"
                      confirmLabel="Delete?"
                      aria-label={`Delete ${d.title}`}
                      data-testid="doc-delete"
                      onConfirm={() => onDelete(d)}
                    >
                      Delete
                    </ConfirmButton>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
