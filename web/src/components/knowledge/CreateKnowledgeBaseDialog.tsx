import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/errors';
import type { FieldIssue, KnowledgeBase } from '../../api/types';
import { useApi } from '../../session/ApiContext';
import { Dialog } from '../Dialog';
import { ErrorBanner } from '../ErrorBanner';
import { Field } from '../Field';

/** The option that asks for a self-hosted model's name and dimensions (`compatible:<model>`). */
const SELF_HOSTED = 'compatible';
export const SELF_HOSTED_DIMENSIONS = [384, 768, 1024, 1536] as const;

export const EMBEDDING_MODELS: { value: string; label: string }[] = [
  { value: 'local', label: 'local: offline hashed n-grams (no key, deterministic)' },
  {
    value: 'local-semantic',
    label: 'local-semantic: offline GloVe word vectors + n-grams (no key, some meaning)',
  },
  { value: 'openai:text-embedding-3-small', label: 'openai:text-embedding-3-small' },
  { value: 'openai:text-embedding-3-large', label: 'openai:text-embedding-3-large' },
  { value: 'gemini:gemini-embedding-001', label: 'gemini:gemini-embedding-001' },
  { value: SELF_HOSTED, label: 'self-hosted: an OpenAI-compatible server (Ollama, vLLM, TEI)' },
];

/** Client-side checks mirroring the contract (the API checks again). */
export function chunkingIssues(size: number, overlap: number): FieldIssue[] {
  const out: FieldIssue[] = [];
  if (!Number.isInteger(size) || size < 100 || size > 8000)
    out.push({ path: 'chunking.size', message: 'a whole number from 100 to 8000' });
  if (!Number.isInteger(overlap) || overlap < 0 || overlap > 2000)
    out.push({ path: 'chunking.overlap', message: 'a whole number from 0 to 2000' });
  else if (overlap >= size / 2)
    out.push({ path: 'chunking.overlap', message: 'must be less than half the chunk size' });
  return out;
}

/** New knowledge base: name, embedding model and chunking (both fixed for its life). */
export function CreateKnowledgeBaseDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (kb: KnowledgeBase) => void;
}) {
  const api = useApi();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [embeddingModel, setEmbeddingModel] = useState('local');
  const [size, setSize] = useState('1000');
  const [overlap, setOverlap] = useState('150');
  const [hostedModel, setHostedModel] = useState('');
  const [dimensions, setDimensions] = useState<number>(768);
  const [rerank, setRerank] = useState('');
  const selfHosted = embeddingModel === SELF_HOSTED;
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const local = chunkingIssues(Number(size), Number(overlap));
  const all = [...issues, ...local];
  const errorsAt = (path: string) => all.filter((i) => i.path === path).map((i) => i.message);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (local.length) return;
    setBusy(true);
    setError(null);
    setIssues([]);
    try {
      const kb = await api.knowledge.create({
        name: name.trim(),
        description: description.trim(),
        embeddingModel: selfHosted ? `compatible:${hostedModel.trim()}` : embeddingModel,
        ...(selfHosted ? { dimensions } : {}),
        ...(rerank.trim() ? { rerank: rerank.trim() } : {}),
        chunking: { size: Number(size), overlap: Number(overlap) },
      });
      onCreated(kb);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setIssues(err.details);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="New knowledge base"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form="kb-create-form"
            className="btn btn-primary"
            disabled={
              busy || !name.trim() || local.length > 0 || (selfHosted && !hostedModel.trim())
            }
            data-testid="kb-create-submit"
          >
            {busy ? 'Creating…' : 'Create'}
          </button>
        </>
      }
    >
      <form id="kb-create-form" onSubmit={submit} data-testid="kb-create-form">
        <ErrorBanner error={error} title="Could not create" />
        <Field label="Name" errors={errorsAt('name')}>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={200}
            data-testid="kb-name"
          />
        </Field>
        <Field label="Description" hint="Optional." errors={errorsAt('description')}>
          <input
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            maxLength={2000}
            data-testid="kb-description"
          />
        </Field>
        <Field
          label="Embedding model"
          hint="Fixed for the life of the base. Provider models need that provider's key in Settings."
          errors={errorsAt('embeddingModel')}
        >
          <select
            value={embeddingModel}
            onChange={(e) => setEmbeddingModel(e.target.value)}
            data-testid="kb-embedding-model"
          >
            {EMBEDDING_MODELS.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
        </Field>
        {selfHosted && (
          <div className="grid-2">
            <Field
              label="Model on the server"
              hint="As the server names it, e.g. nomic-embed-text. Base URL: Settings › compatible."
              errors={[]}
            >
              <input
                value={hostedModel}
                onChange={(e) => setHostedModel(e.target.value)}
                maxLength={100}
                data-testid="kb-hosted-model"
              />
            </Field>
            <Field
              label="Dimensions"
              hint="The size of the vectors it returns."
              errors={errorsAt('dimensions')}
            >
              <select
                value={dimensions}
                onChange={(e) => setDimensions(Number(e.target.value))}
                data-testid="kb-dimensions"
              >
                {SELF_HOSTED_DIMENSIONS.map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        )}
        <Field
          label="Reranker"
          hint="Optional: rerank every search, e.g. local:align (offline), cohere:rerank-v3.5, llm:openai:gpt-4.1-mini."
          errors={errorsAt('rerank')}
        >
          <input
            value={rerank}
            onChange={(e) => setRerank(e.target.value)}
            maxLength={120}
            placeholder="none"
            data-testid="kb-rerank"
          />
        </Field>
        <div className="grid-2">
          <Field
            label="Chunk size"
            hint="Most characters per chunk."
            errors={errorsAt('chunking.size')}
          >
            <input
              type="number"
              min={100}
              max={8000}
              step={50}
              value={size}
              onChange={(e) => setSize(e.target.value)}
              data-testid="kb-chunk-size"
            />
          </Field>
          <Field
            label="Overlap"
            hint="Characters repeated between neighbouring chunks."
            errors={errorsAt('chunking.overlap')}
          >
            <input
              type="number"
              min={0}
              max={2000}
              step={10}
              value={overlap}
              onChange={(e) => setOverlap(e.target.value)}
              data-testid="kb-chunk-overlap"
            />
          </Field>
        </div>
      </form>
    </Dialog>
  );
}
