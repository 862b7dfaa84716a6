/**
 * The tasks of statemachines/ingest-document.asl.json. State carries ids only (claim check): the
 * source and the extracted text are in S3 (rows stay under the Data API's 64 KB), chunks in `chunks`.
 * Every task checks the document still exists at the generation it was started for, so a deleted
 * or re-ingested document quietly stops an older execution, and every write is repeatable.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { and, eq, sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../db/client';
import { documents, knowledgeBases } from '../db/schema-knowledge';
import { ExtractionFailed, isAppError } from '../errors';
import type { Platform } from '../platform/platform';
import { chunkText } from './chunk';
import { DOCUMENT_COLUMNS, sha256, textKey, type DocumentRow } from './documents';
import { embedderFor } from './embedders';
import { scriptedFailure } from './embedders/local';
import { parseEmbeddingModel } from './embedders/types';
import { detectKind, extractText } from './extract';
import { vectorLiteral } from './search';
import { recordEmbeddingUsage } from './usage';
import { assertTenantBudgetLeft } from '../llm/budgets';

export interface IngestRef {
  tenantId: string;
  documentId: string;
  generation: number;
}

export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
/** Largest JSON of vectors per statement: a quarter of the Data API's 4 MiB request limit. */
export const VECTOR_WRITE_BYTES = 1024 * 1024;

/** Consecutive groups of items whose JSON stays within `max` bytes (an oversized item goes alone). */
export function byBytes<T>(items: T[], max: number): T[][] {
  const groups: T[][] = [];
  let group: T[] = [];
  let size = 2;
  for (const item of items) {
    const bytes = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (group.length && size + bytes > max) {
      groups.push(group);
      group = [];
      size = 2;
    }
    group.push(item);
    size += bytes;
  }
  if (group.length) groups.push(group);
  return groups;
}
export const MAX_CHUNKS = 20_000;
const INSERT_BATCH = 100;

async function current(tx: Tx, ref: IngestRef): Promise<DocumentRow | undefined> {
  const [doc] = await tx
    .select(DOCUMENT_COLUMNS)
    .from(documents)
    .where(eq(documents.id, ref.documentId));
  return doc && doc.generation === ref.generation ? doc : undefined;
}

const setStatus = (tx: Tx, ref: IngestRef, values: Partial<typeof documents.$inferInsert>) =>
  tx
    .update(documents)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(documents.id, ref.documentId), eq(documents.generation, ref.generation)));

/** Source → text. `skip` ends the execution early: document gone, superseded, or content unchanged. */
export async function extractDocument(p: Platform, ref: IngestRef): Promise<{ skip: boolean }> {
  const doc = await p.db.withTenant(ref, async (tx) => {
    const d = await current(tx, ref);
    if (d) await setStatus(tx, ref, { status: 'extracting' });
    return d;
  });
  if (!doc) return { skip: true };
  let text = '';
  let hash = doc.contentHash;
  let size = doc.byteSize;
  if (doc.source === 'upload') {
    const bytes = await readUpload(p, doc);
    hash = sha256(bytes);
    size = bytes.byteLength;
    if (hash === doc.contentHash && doc.liveGeneration !== null) {
      // The same bytes are already indexed: nothing to extract, chunk or embed (ADR 033).
      await p.db.withTenant(ref, (tx) => setStatus(tx, ref, { status: 'ready', error: null }));
      return { skip: true };
    }
    const kind = detectKind(doc.contentType, doc.filename);
    if (!kind)
      throw new ExtractionFailed(
        `unsupported file type ${doc.contentType ?? ''} (${doc.filename}): upload txt, md, html, json, pdf or source code`,
      );
    text = await extractText(bytes, kind);
  } else if (doc.liveGeneration !== null) {
    await p.db.withTenant(ref, (tx) => setStatus(tx, ref, { status: 'ready', error: null }));
    return { skip: true };
  } else text = await sourceText(p, doc);
  await p.s3.send(
    new PutObjectCommand({
      Bucket: p.config.DOCUMENTS_BUCKET,
      Key: textKey(doc, ref.generation),
      Body: text,
      ContentType: 'text/plain; charset=utf-8',
    }),
  );
  await p.db.withTenant(ref, (tx) =>
    setStatus(tx, ref, { status: 'chunking', contentHash: hash, byteSize: size }),
  );
  return { skip: false };
}

/** API text: its S3 object, or (documents created before text moved to S3) the old column. */
async function sourceText(p: Platform, doc: DocumentRow): Promise<string> {
  if (doc.s3Key) return readText(p, doc.s3Key);
  const [legacy] = await p.db.withTenant(doc, (tx) =>
    tx.select({ content: documents.content }).from(documents).where(eq(documents.id, doc.id)),
  );
  return legacy?.content ?? '';
}

async function readText(p: Platform, key: string): Promise<string> {
  const out = await p.s3.send(
    new GetObjectCommand({ Bucket: p.config.DOCUMENTS_BUCKET, Key: key }),
  );
  return (await out.Body?.transformToString('utf-8')) ?? '';
}

async function readUpload(p: Platform, doc: DocumentRow): Promise<Uint8Array> {
  if (!doc.s3Key) throw new ExtractionFailed('the upload has no stored file');
  try {
    const out = await p.s3.send(
      new GetObjectCommand({ Bucket: p.config.DOCUMENTS_BUCKET, Key: doc.s3Key }),
    );
    if ((out.ContentLength ?? 0) > MAX_UPLOAD_BYTES)
      throw new ExtractionFailed(
        `the file is ${out.ContentLength} bytes; the limit is ${MAX_UPLOAD_BYTES}`,
      );
    if (!out.Body) throw new ExtractionFailed('the stored file is empty');
    return await out.Body.transformToByteArray();
  } catch (e) {
    if (isAppError(e)) throw e;
    if ((e as Error).name === 'NoSuchKey')
      throw new ExtractionFailed('no file was uploaded for this document');
    throw e;
  }
}

/**
 * Text → chunks of this generation. Chunks whose text (with its heading) is already embedded
 * anywhere in the base copy that embedding, so identical content is never embedded twice.
 * Returns the embedding batches still to do.
 */
export async function chunkDocument(
  p: Platform,
  ref: IngestRef,
): Promise<{ batches: number[]; chunkCount: number }> {
  return p.db.withTenant(ref, async (tx) => {
    const doc = await current(tx, ref);
    if (!doc) return { batches: [], chunkCount: 0 };
    const [kb] = await tx
      .select()
      .from(knowledgeBases)
      .where(eq(knowledgeBases.id, doc.knowledgeBaseId));
    const text = await readText(p, textKey(doc, ref.generation));
    const pieces = chunkText(text, { size: kb.chunkSize, overlap: kb.chunkOverlap });
    if (pieces.length > MAX_CHUNKS)
      throw new ExtractionFailed(
        `the document makes ${pieces.length} chunks; the limit is ${MAX_CHUNKS}: split it or use larger chunks`,
      );
    await tx.execute(
      sql`DELETE FROM chunks WHERE document_id = ${doc.id}::uuid AND generation = ${ref.generation}`,
    );
    for (let i = 0; i < pieces.length; i += INSERT_BATCH) {
      const rows = pieces.slice(i, i + INSERT_BATCH).map((c) => {
        const heading = c.heading ? `${doc.title} › ${c.heading}` : doc.title;
        return {
          o: c.ordinal,
          h: heading,
          t: c.text,
          x: sha256(embeddingInput(heading, c.text)),
          s: c.start,
          e: c.end,
        };
      });
      // JSON, not array parameters: the RDS Data API has no array parameters.
      await tx.execute(sql`
        INSERT INTO chunks (tenant_id, knowledge_base_id, document_id, generation, ordinal, heading, text, text_hash, start_offset, end_offset, dims, embedding)
        SELECT ${ref.tenantId}::uuid, ${kb.id}::uuid, ${doc.id}::uuid, ${ref.generation}::int, v.o, v.h, v.t, v.x, v.s, v.e, ${kb.dimensions}::int,
          (SELECT c.embedding FROM chunks c WHERE c.knowledge_base_id = ${kb.id}::uuid AND c.text_hash = v.x AND c.embedding IS NOT NULL LIMIT 1)
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(o int, h text, t text, x text, s int, e int)`);
    }
    const batchSize = parseEmbeddingModel(kb.embeddingModel, kb.dimensions).maxBatch;
    const todo = rowsOf<{ b: number }>(
      await tx.execute(sql`
      SELECT DISTINCT ordinal / ${batchSize}::int AS b FROM chunks
      WHERE document_id = ${doc.id}::uuid AND generation = ${ref.generation} AND embedding IS NULL ORDER BY 1`),
    ).map((r) => Number(r.b));
    const reused = rowsOf<{ n: number }>(
      await tx.execute(
        sql`SELECT count(*)::int AS n FROM chunks WHERE document_id = ${doc.id}::uuid AND generation = ${ref.generation} AND embedding IS NOT NULL`,
      ),
    )[0];
    await setStatus(tx, ref, {
      status: 'embedding',
      chunkCount: pieces.length,
      reusedChunkCount: Number(reused?.n ?? 0),
    });
    return { batches: todo, chunkCount: pieces.length };
  });
}

/** What is embedded for a chunk: its section path gives the vector the context the text lacks. */
export function embeddingInput(heading: string, text: string): string {
  return heading ? `${heading}\n\n${text}` : text;
}

/** One batch: its own Lambda task, retried by the ASL on ProviderThrottled/ProviderUnavailable. */
export async function embedBatch(
  p: Platform,
  input: IngestRef & { batch: number; executionId: string },
): Promise<{ embedded: number }> {
  const prepared = await p.db.withTenant(input, async (tx) => {
    const doc = await current(tx, input);
    if (!doc) return undefined;
    const [kb] = await tx
      .select()
      .from(knowledgeBases)
      .where(eq(knowledgeBases.id, doc.knowledgeBaseId));
    const model = parseEmbeddingModel(kb.embeddingModel, kb.dimensions);
    // Provider embeddings cost money: a used-up tenant budget stops them before any call (the local embedder is free).
    if (model.provider !== 'local')
      await assertTenantBudgetLeft(tx, input.tenantId, new Date(p.now()));
    const size = model.maxBatch;
    const [{ attempts }] = rowsOf<{ attempts: number }>(
      await tx.execute(sql`
      INSERT INTO embedding_batches (tenant_id, document_id, generation, batch, attempts, status) VALUES (${input.tenantId}::uuid, ${doc.id}::uuid, ${input.generation}, ${input.batch}, 1, 'running')
      ON CONFLICT (document_id, generation, batch) DO UPDATE SET attempts = embedding_batches.attempts + 1, status = 'running', updated_at = now()
      RETURNING attempts`),
    );
    const todo = rowsOf<{ id: string; heading: string; text: string }>(
      await tx.execute(sql`
      SELECT id, heading, text FROM chunks WHERE document_id = ${doc.id}::uuid AND generation = ${input.generation}
        AND ordinal >= ${input.batch * size} AND ordinal < ${(input.batch + 1) * size} AND embedding IS NULL ORDER BY ordinal`),
    );
    return { kb, attempt: Number(attempts), todo };
  });
  if (!prepared) return { embedded: 0 };
  const { kb, attempt, todo } = prepared;
  const usageKey = { executionId: `${input.executionId}#${input.batch}`, attempt };
  const embedder = await embedderFor(p, input.tenantId, kb.embeddingModel, kb.dimensions);
  const started = p.now();
  let result: Awaited<ReturnType<typeof embedder.embed>>;
  try {
    const scripted = scriptedFailure(kb.embeddingModel, input.batch, attempt);
    if (scripted) throw scripted;
    result = todo.length
      ? await embedder.embed(
          todo.map((c) => embeddingInput(c.heading, c.text)),
          'document',
        )
      : { vectors: [], tokens: 0, estimated: false };
  } catch (e) {
    const error = e as Error;
    await p.db.withTenant(input, async (tx) => {
      await recordEmbeddingUsage(tx, {
        tenantId: input.tenantId,
        provider: embedder.provider,
        model: embedder.model,
        tokens: 0,
        latencyMs: p.now() - started,
        outcome: 'error',
        errorName: error.name,
        errorMessage: error.message,
        ...usageKey,
      });
      await tx.execute(
        sql`UPDATE embedding_batches SET last_error = ${`${error.name}: ${error.message}`.slice(0, 1000)}, updated_at = now() WHERE document_id = ${input.documentId}::uuid AND generation = ${input.generation} AND batch = ${input.batch}`,
      );
    });
    throw e;
  }
  await p.db.withTenant(input, async (tx) => {
    if (todo.length) {
      const rows = todo.map((c, i) => ({ id: c.id, v: vectorLiteral(result.vectors[i]) }));
      // Sized by bytes, not rows: 256 × 1536 floats is ~4 MB of JSON, the Data API's request limit.
      for (const part of byBytes(rows, VECTOR_WRITE_BYTES))
        await tx.execute(
          sql`UPDATE chunks c SET embedding = v.v::vector FROM jsonb_to_recordset(${JSON.stringify(part)}::jsonb) AS v(id uuid, v text) WHERE c.id = v.id`,
        );
      await recordEmbeddingUsage(tx, {
        tenantId: input.tenantId,
        provider: embedder.provider,
        model: embedder.model,
        tokens: result.tokens,
        latencyMs: p.now() - started,
        outcome: 'success',
        ...usageKey,
      });
    }
    await tx.execute(
      sql`UPDATE embedding_batches SET status = 'succeeded', embedded = ${todo.length}, tokens = ${result.tokens}, updated_at = now() WHERE document_id = ${input.documentId}::uuid AND generation = ${input.generation} AND batch = ${input.batch}`,
    );
  });
  return { embedded: todo.length };
}

/** Makes this generation the live one: searchable, older generations' chunks removed. */
export async function indexDocument(
  p: Platform,
  ref: IngestRef,
): Promise<{ status: string; chunkCount: number }> {
  return p.db.withTenant(ref, async (tx) => {
    const doc = await current(tx, ref);
    if (!doc) return { status: 'skipped', chunkCount: 0 };
    const [{ missing }] = rowsOf<{ missing: number }>(
      await tx.execute(
        sql`SELECT count(*)::int AS missing FROM chunks WHERE document_id = ${doc.id}::uuid AND generation = ${ref.generation} AND embedding IS NULL`,
      ),
    );
    if (Number(missing) > 0)
      throw new Error(`${missing} chunks of generation ${ref.generation} have no embedding`);
    await tx.execute(
      sql`DELETE FROM chunks WHERE document_id = ${doc.id}::uuid AND generation <> ${ref.generation}`,
    );
    await setStatus(tx, ref, {
      status: 'ready',
      liveGeneration: ref.generation,
      error: null,
      ingestedAt: new Date(),
    });
    return { status: 'ready', chunkCount: doc.chunkCount };
  });
}

/** The Catch of every state lands here: the document fails with a reason a person can read. */
export async function failIngestion(
  p: Platform,
  input: IngestRef & { error: { Error?: string; Cause?: string } },
): Promise<{ status: string }> {
  const reason = failureReason(input.error);
  await p.db.withTenant(input, async (tx) => {
    const doc = await current(tx, input);
    if (!doc) return;
    // The failed generation's chunks go; a previously live generation stays searchable.
    await tx.execute(
      sql`DELETE FROM chunks WHERE document_id = ${doc.id}::uuid AND generation = ${input.generation}`,
    );
    await setStatus(tx, input, { status: 'failed', error: reason });
  });
  return { status: 'failed' };
}

/** Lambda puts `{"errorMessage": ...}` JSON in Cause; the local runner puts the message itself. */
export function failureReason(error: { Error?: string; Cause?: string }): string {
  let message = error.Cause ?? '';
  try {
    const parsed = JSON.parse(message) as { errorMessage?: string };
    if (parsed && typeof parsed.errorMessage === 'string') message = parsed.errorMessage;
  } catch {
    // not JSON: the message itself
  }
  const name = error.Error ?? 'Error';
  return (name === 'ExtractionFailed' ? message : `${name}: ${message}`).slice(0, 2000);
}
