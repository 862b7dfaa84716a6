import { useCallback, useState } from 'react';
import { ApiError } from '../api/errors';
import { DOCUMENT_IN_PROGRESS, type KnowledgeBase } from '../api/types';
import { ConfirmButton } from '../components/ConfirmButton';
import { EmptyState, Unavailable } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { AddDocumentDialog } from '../components/knowledge/AddDocumentDialog';
import { CreateKnowledgeBaseDialog } from '../components/knowledge/CreateKnowledgeBaseDialog';
import { DocumentsTable } from '../components/knowledge/DocumentsTable';
import { RetrievalPlayground } from '../components/knowledge/RetrievalPlayground';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { useAsync } from '../hooks/useAsync';
import { useGuard } from '../hooks/useGuard';
import { usePolling } from '../hooks/usePolling';
import { navigate } from '../router/hash';
import { Link } from '../router/Link';
import { useApi } from '../session/ApiContext';
import { useSession } from '../session/SessionContext';

/** How often documents are re-read while any of them is still being ingested. */
export const DOCUMENT_POLL_MS = 1000;

/**
 * Knowledge bases: the list, and for the selected one (`/knowledge/:id`) its documents with live
 * ingestion status, adding (text or file upload) and deleting documents, and the retrieval
 * playground. Viewers read and search; writes need dev or above (as the API requires).
 */
export function KnowledgePage({
  kbId,
  pollMs = DOCUMENT_POLL_MS,
}: {
  kbId?: string;
  pollMs?: number;
}) {
  const api = useApi();
  const { can } = useSession();
  const canWrite = can('dev');
  const list = useAsync(() => api.knowledge.list(), [api]);
  const [creating, setCreating] = useState(false);

  if (list.error instanceof ApiError && list.error.unavailable) {
    return (
      <>
        <PageHeader title="Knowledge" />
        <Unavailable feature="Knowledge bases" />
      </>
    );
  }
  const kbs = list.data?.items ?? [];
  const current = kbs.find((k) => k.id === kbId) ?? (kbId ? undefined : kbs[0]);

  return (
    <>
      <PageHeader
        title="Knowledge"
        subtitle="Documents agents retrieve from and cite."
        actions={
          canWrite ? (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => setCreating(true)}
              data-testid="kb-new"
            >
              New knowledge base
            </button>
          ) : undefined
        }
      />
      <ErrorBanner error={list.error} title="Could not load knowledge bases" />
      {!list.data && !list.error && <Loading />}
      {list.data && kbs.length === 0 && (
        <EmptyState
          title="No knowledge bases yet"
          action={
            canWrite ? (
              <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
                New knowledge base
              </button>
            ) : undefined
          }
        >
          A knowledge base holds documents, chunked and embedded, that agents with it attached
          search and cite.
        </EmptyState>
      )}
      {list.data && kbId && !current && (
        <ErrorBanner error={new Error(`Knowledge base ${kbId} was not found.`)} title="Not found" />
      )}
      {kbs.length > 0 && (
        <div className="kb-layout">
          <nav aria-label="Knowledge bases" className="card kb-nav">
            <ul className="kb-list" data-testid="kb-list">
              {kbs.map((k) => (
                <li key={k.id}>
                  <Link
                    to={`/knowledge/${k.id}`}
                    className={`kb-link${k.id === current?.id ? ' is-selected' : ''}`}
                    aria-current={k.id === current?.id ? 'page' : undefined}
                    data-testid="kb-link"
                  >
                    <span className="kb-link-name">{k.name}</span>
                    <span className="muted small">
                      {k.embeddingModel} · {k.documentCount} doc{k.documentCount === 1 ? '' : 's'}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          {current && (
            <KnowledgeBaseDetail
              key={current.id}
              kb={current}
              canWrite={canWrite}
              pollMs={pollMs}
              onChanged={() => void list.reload()}
              onDeleted={async () => {
                await list.reload();
                navigate('/knowledge', { replace: true });
              }}
            />
          )}
        </div>
      )}
      {creating && (
        <CreateKnowledgeBaseDialog
          onClose={() => setCreating(false)}
          onCreated={async (kb) => {
            setCreating(false);
            await list.reload();
            navigate(`/knowledge/${kb.id}`);
          }}
        />
      )}
    </>
  );
}

interface DetailProps {
  kb: KnowledgeBase;
  canWrite: boolean;
  pollMs: number;
  onChanged: () => void;
  onDeleted: () => Promise<void>;
}

function KnowledgeBaseDetail({ kb, canWrite, pollMs, onChanged, onDeleted }: DetailProps) {
  const api = useApi();
  const docs = useAsync(() => api.knowledge.documents(kb.id), [api, kb.id]);
  const [adding, setAdding] = useState(false);
  const { error, guard } = useGuard();

  const items = docs.data?.items ?? [];
  const inProgress = items.some((d) => DOCUMENT_IN_PROGRESS.includes(d.status));
  // biome-ignore lint/correctness/useExhaustiveDependencies: `docs.setData` and `onChanged` change identity every render; the list depends on the base only
  const refresh = useCallback(
    async (signal?: AbortSignal) => {
      const next = await api.knowledge.documents(kb.id);
      if (signal?.aborted) return;
      docs.setData(next);
      // Counts on the list change as documents finish.
      if (!next.items.some((d) => DOCUMENT_IN_PROGRESS.includes(d.status))) onChanged();
    },
    [api, kb.id],
  );
  usePolling(refresh, pollMs, inProgress);

  const ready = items.filter((d) => d.status === 'ready').length;

  return (
    <div className="kb-detail" data-testid="kb-detail" data-kb-id={kb.id}>
      <section className="card" aria-labelledby="kb-title">
        <div className="card-header">
          <h2 id="kb-title">{kb.name}</h2>
          {canWrite && (
            <ConfirmButton
              className="btn btn-danger-ghost btn-sm"
              confirmLabel="Delete base and all its documents?"
              data-testid="kb-delete"
              onConfirm={() =>
                guard(async () => {
                  await api.knowledge.remove(kb.id);
                  await onDeleted();
                })
              }
            >
              Delete
            </ConfirmButton>
          )}
        </div>
        {kb.description && <p>{kb.description}</p>}
        <dl className="facts facts-kb">
          <div>
            <dt>Embedding model</dt>
            <dd className="mono" data-testid="kb-model">
              {kb.embeddingModel}
            </dd>
          </div>
          <div>
            <dt>Dimensions</dt>
            <dd>{kb.dimensions}</dd>
          </div>
          <div>
            <dt>Chunking</dt>
            <dd>
              {kb.chunking.size} chars, {kb.chunking.overlap} overlap
            </dd>
          </div>
          <div>
            <dt>Reranker</dt>
            <dd data-testid="kb-rerank-value">{kb.rerank ?? 'none'}</dd>
          </div>
          <div>
            <dt>Documents</dt>
            <dd>{docs.data ? `${ready} ready of ${items.length}` : kb.documentCount}</dd>
          </div>
        </dl>
        {kb.embeddingModel === 'local' && (
          <p className="note">
            The local embedder hashes word n-grams (offline, deterministic): fine for trying things
            out; `local-semantic` or provider models give semantic matches.
          </p>
        )}
        {kb.embeddingModel === 'local-semantic' && (
          <p className="note">
            local-semantic averages GloVe word vectors with the n-grams (offline): some meaning, not
            a neural model; a reranker or a provider model reads question and passage together.
          </p>
        )}
        <ErrorBanner error={error ?? docs.error} />
        <div className="card-header kb-docs-header">
          <h3>Documents</h3>
          {inProgress && (
            <span className="muted small" role="status">
              <span className="live-dot" aria-hidden="true" /> ingesting, updating live
            </span>
          )}
          {canWrite && (
            <button
              type="button"
              className="btn btn-secondary btn-sm"
              onClick={() => setAdding(true)}
              data-testid="doc-add"
            >
              Add document
            </button>
          )}
        </div>
        {docs.data ? (
          <DocumentsTable
            documents={items}
            onDelete={
              canWrite
                ? (d) =>
                    guard(async () => {
                      await api.knowledge.removeDocument(kb.id, d.id);
                      await docs.reload();
                      onChanged();
                    })
                : undefined
            }
          />
        ) : (
          !docs.error && <Loading label="Loading documents" />
        )}
      </section>
      <RetrievalPlayground
        knowledgeBaseId={kb.id}
        hint={
          docs.data && ready === 0
            ? 'No document is ready yet: searches find nothing until ingestion finishes.'
            : undefined
        }
      />
      {adding && (
        <AddDocumentDialog
          knowledgeBaseId={kb.id}
          onClose={() => setAdding(false)}
          onAdded={async () => {
            setAdding(false);
            await docs.reload();
            onChanged();
          }}
        />
      )}
    </div>
  );
}
