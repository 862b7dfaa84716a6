import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/errors';
import type { KnowledgeBase, SearchHit } from '../api/types';
import { EmptyState, Unavailable } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { Field } from '../components/Field';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { StatusBadge } from '../components/StatusBadge';
import { useAsync } from '../hooks/useAsync';
import { useApi } from '../session/ApiContext';
import { useSession } from '../session/SessionContext';

/** Knowledge bases: create, add text documents, watch ingestion, try a search. */
export function KnowledgePage() {
  const api = useApi();
  const { can } = useSession();
  const list = useAsync(() => api.knowledge.list(), [api]);
  const [selected, setSelected] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);

  if (list.error instanceof ApiError && list.error.unavailable) {
    return (
      <>
        <PageHeader title="Knowledge" />
        <Unavailable feature="Knowledge bases" />
      </>
    );
  }
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const kb = await api.knowledge.create({ name: name.trim(), embeddingModel: 'local', chunking: { size: 800, overlap: 100 } });
      setName('');
      await list.reload();
      setSelected(kb.id);
    } catch (err) {
      setError(err);
    }
  };
  const kbs = list.data?.items ?? [];
  const current = kbs.find((k) => k.id === selected) ?? kbs[0];
  return (
    <>
      <PageHeader title="Knowledge" subtitle="Documents agents can search and cite." />
      {can('dev') && (
        <form className="toolbar" onSubmit={create} aria-label="Create a knowledge base">
          <div className="field field-inline">
            <label htmlFor="kb-name">Name</label>
            <input id="kb-name" value={name} onChange={(e) => setName(e.target.value)} required />
          </div>
          <button type="submit" className="btn btn-primary btn-sm" disabled={!name.trim()}>
            Create knowledge base
          </button>
        </form>
      )}
      <ErrorBanner error={error ?? list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && kbs.length === 0 && <EmptyState title="No knowledge bases yet" />}
      {current && (
        <div className="split">
          <nav aria-label="Knowledge bases" className="card">
            <ul className="step-pick">
              {kbs.map((k) => (
                <li key={k.id}>
                  <button type="button" className="link-button" aria-current={k.id === current.id ? 'true' : undefined} onClick={() => setSelected(k.id)}>
                    {k.name}
                  </button>{' '}
                  <span className="muted small">{k.embeddingModel}</span>
                </li>
              ))}
            </ul>
          </nav>
          <KnowledgeBaseDetail key={current.id} kb={current} canWrite={can('dev')} />
        </div>
      )}
    </>
  );
}

function KnowledgeBaseDetail({ kb, canWrite }: { kb: KnowledgeBase; canWrite: boolean }) {
  const api = useApi();
  const docs = useAsync(() => api.knowledge.documents(kb.id), [api, kb.id]);
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const guard = async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="card" aria-labelledby="kb-title">
      <h2 id="kb-title">{kb.name}</h2>
      <p className="muted small">
        {kb.embeddingModel} · chunks of {kb.chunking.size} with {kb.chunking.overlap} overlap
      </p>
      <ErrorBanner error={error ?? docs.error} />
      <h3>Documents</h3>
      {docs.data && docs.data.items.length === 0 && <p className="muted">No documents.</p>}
      <ul className="doc-list">
        {docs.data?.items.map((d) => (
          <li key={d.id}>
            {d.title} <StatusBadge status={d.status} /> <span className="muted small">{d.chunkCount} chunks</span>
            {d.error && <span className="text-danger small"> {d.error}</span>}
          </li>
        ))}
      </ul>
      {canWrite && (
        <form onSubmit={(e) => { e.preventDefault(); void guard(async () => { await api.knowledge.addText(kb.id, title.trim(), text); setTitle(''); setText(''); await docs.reload(); }); }} aria-label="Add a text document">
          <Field label="Title">
            <input value={title} onChange={(e) => setTitle(e.target.value)} required />
          </Field>
          <Field label="Text">
            <textarea rows={5} value={text} onChange={(e) => setText(e.target.value)} required />
          </Field>
          <button type="submit" className="btn btn-secondary btn-sm" disabled={!title.trim() || !text.trim()}>
            Add document
          </button>
        </form>
      )}
      <h3>Search</h3>
      <form className="row" role="search" onSubmit={(e) => { e.preventDefault(); void guard(async () => setHits((await api.knowledge.search(kb.id, query)).items)); }}>
        <label className="sr-only" htmlFor="kb-query">
          Search query
        </label>
        <input id="kb-query" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Ask something" />
        <button type="submit" className="btn btn-secondary btn-sm" disabled={!query.trim()}>
          Search
        </button>
      </form>
      {hits && (
        <ol className="hits">
          {hits.map((h) => (
            <li key={h.chunkId}>
              <strong>{h.title}</strong> <span className="muted small">score {h.score.toFixed(3)}</span>
              <p className="small">{h.text}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
