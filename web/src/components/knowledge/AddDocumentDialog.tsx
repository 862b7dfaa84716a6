import { useState, type FormEvent } from 'react';
import type { KnowledgeDocument } from '../../api/types';
import { useApi } from '../../session/ApiContext';
import { Dialog } from '../Dialog';
import { ErrorBanner } from '../ErrorBanner';
import { Field } from '../Field';

type Mode = 'text' | 'upload';

const TYPES: Record<string, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  html: 'text/html',
  htm: 'text/html',
  pdf: 'application/pdf',
  json: 'application/json',
  csv: 'text/csv',
  ts: 'text/plain',
  tsx: 'text/plain',
  js: 'text/javascript',
  jsx: 'text/plain',
  py: 'text/x-python',
  go: 'text/plain',
  rs: 'text/plain',
  java: 'text/plain',
  rb: 'text/plain',
  sh: 'text/plain',
  yaml: 'text/plain',
  yml: 'text/plain',
  sql: 'text/plain',
  c: 'text/plain',
  h: 'text/plain',
  cpp: 'text/plain',
  css: 'text/css',
};

/** The file's own type, else one guessed from its extension. */
export function contentTypeOf(file: { name: string; type: string }): string {
  if (file.type) return file.type;
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  return (ext && TYPES[ext]) || 'application/octet-stream';
}

const ACCEPT =
  '.txt,.md,.markdown,.html,.htm,.pdf,.json,.csv,.ts,.tsx,.js,.jsx,.py,.go,.rs,.java,.rb,.sh,.yaml,.yml,.sql,.c,.h,.cpp,.css,text/*,application/pdf,application/json';

/**
 * Add a document: paste text (ingested at once), or upload a file: ask for a presigned URL with
 * `{filename, contentType}`, PUT the bytes there, then POST …/documents/{docId}/ingest.
 */
export function AddDocumentDialog({
  knowledgeBaseId,
  onClose,
  onAdded,
}: {
  knowledgeBaseId: string;
  onClose: () => void;
  onAdded: (doc: KnowledgeDocument) => void;
}) {
  const api = useApi();
  const [mode, setMode] = useState<Mode>('text');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const ready = mode === 'text' ? title.trim() !== '' && text.trim() !== '' : file !== null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    setError(null);
    try {
      if (mode === 'text') {
        setProgress('Adding…');
        onAdded(await api.knowledge.addText(knowledgeBaseId, title.trim(), text));
        return;
      }
      const f = file;
      if (!f) return;
      const contentType = contentTypeOf(f);
      setProgress('Requesting an upload URL…');
      const doc = await api.knowledge.requestUpload(
        knowledgeBaseId,
        f.name,
        contentType,
        title.trim() || undefined,
      );
      if (!doc.uploadUrl) throw new Error('The server did not return an upload URL.');
      setProgress(`Uploading ${f.name}…`);
      try {
        await api.knowledge.putUpload(doc.uploadUrl, f, contentType);
      } catch (err) {
        // Leave no document behind that can never be ingested.
        await api.knowledge.removeDocument(knowledgeBaseId, doc.id).catch(() => undefined);
        throw err;
      }
      setProgress('Starting ingestion…');
      onAdded(await api.knowledge.ingest(knowledgeBaseId, doc.id));
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  };

  return (
    <Dialog
      title="Add a document"
      onClose={onClose}
      wide
      footer={
        <>
          {progress && (
            <span className="muted small" role="status">
              {progress}
            </span>
          )}
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form="doc-add-form"
            className="btn btn-primary"
            disabled={!ready || progress !== null}
            data-testid="doc-add-submit"
          >
            {mode === 'text' ? 'Add document' : 'Upload and ingest'}
          </button>
        </>
      }
    >
      <div className="segmented" role="radiogroup" aria-label="Source">
        {(
          [
            ['text', 'Paste text'],
            ['upload', 'Upload a file'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className={`segmented-option${mode === value ? ' is-active' : ''}`}>
            <input
              type="radio"
              name="doc-source"
              value={value}
              checked={mode === value}
              onChange={() => setMode(value)}
              data-testid={`doc-mode-${value}`}
            />
            {label}
          </label>
        ))}
      </div>
      <form id="doc-add-form" onSubmit={submit} data-testid="doc-add-form">
        <ErrorBanner error={error} title="Could not add the document" />
        <Field
          label="Title"
          hint={mode === 'upload' ? 'Optional: the file name by default.' : undefined}
        >
          <input
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            maxLength={300}
            required={mode === 'text'}
            data-testid="doc-title"
          />
        </Field>
        {mode === 'text' ? (
          <Field
            label="Text"
            hint="Markdown headings, paragraphs and code blocks guide the chunking."
          >
            <textarea
              rows={10}
              value={text}
              onChange={(e) => setText(e.target.value)}
              required
              data-testid="doc-text"
            />
          </Field>
        ) : (
          <Field label="File" hint="txt, md, html, pdf, json or source code.">
            <input
              type="file"
              accept={ACCEPT}
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              data-testid="doc-file"
            />
          </Field>
        )}
      </form>
    </Dialog>
  );
}
