/**
 * Documents of a knowledge base: added as API text (ingestion starts at once) or as a presigned
 * S3 upload (ingestion starts when the client calls …/ingest after its PUT: ADR 032). Each
 * ingestion is a new generation and its own `ingestDocument` execution.
 */
import { createHash, randomUUID } from 'node:crypto';
import { decodeTimeCursor } from '../db/cursor';
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { and, desc, eq, getTableColumns, lt, ne, sql } from 'drizzle-orm';
import type * as z from 'zod';
import type { DocumentCreateBody } from '../api/contracts/knowledge';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import type { Tx } from '../db/client';
import { documents } from '../db/schema-knowledge';
import { Conflict, NotFound } from '../errors';
import type { Platform } from '../platform/platform';
import { loadKnowledgeBase } from './knowledge-bases';

// Document text lives in S3 (`textKey`), never in a selected row: a row above 64 KB or a response
// above 1 MiB fails on the RDS Data API (ADR 040). `content` is only read for documents written
// before the text moved (see ingest.ts).
const { content: _content, ...DOCUMENT_COLUMNS } = getTableColumns(documents);
export { DOCUMENT_COLUMNS };
export type DocumentRow = Omit<typeof documents.$inferSelect, 'content'>;

/** Where a document's text is kept: its source (API text) and each generation's extraction. */
export function textKey(
  d: { tenantId: string; knowledgeBaseId: string; id: string },
  which: 'source' | number,
): string {
  return `${d.tenantId}/${d.knowledgeBaseId}/${d.id}/${which === 'source' ? 'source.txt' : `extracted-g${which}.txt`}`;
}
export const UPLOAD_URL_TTL_SECONDS = 900;
const RUNNING = ['extracting', 'chunking', 'embedding'];

export function documentView(d: DocumentRow) {
  return {
    id: d.id,
    knowledgeBaseId: d.knowledgeBaseId,
    title: d.title,
    source: d.source as 'text' | 'upload',
    ...(d.filename ? { filename: d.filename } : {}),
    ...(d.contentType ? { contentType: d.contentType } : {}),
    status: d.status as 'queued',
    chunkCount: d.chunkCount,
    reusedChunkCount: d.reusedChunkCount,
    ...(d.error ? { error: d.error } : {}),
    ...(d.contentHash ? { contentHash: d.contentHash } : {}),
    metadata: d.metadata as Record<string, unknown>,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    ...(d.ingestedAt ? { ingestedAt: d.ingestedAt.toISOString() } : {}),
  };
}

export const sha256 = (data: string | Uint8Array) =>
  createHash('sha256').update(data).digest('hex');

async function loadDocument(tx: Tx, kbId: string, docId: string): Promise<DocumentRow> {
  const [doc] = await tx
    .select(DOCUMENT_COLUMNS)
    .from(documents)
    .where(and(eq(documents.id, docId), eq(documents.knowledgeBaseId, kbId)));
  if (!doc) throw new NotFound(`document ${docId} not found in knowledge base ${kbId}`);
  return doc;
}

export async function addDocument(
  p: Platform,
  auth: AuthContext,
  kbId: string,
  body: z.infer<typeof DocumentCreateBody>,
) {
  if ('text' in body) {
    const hash = sha256(body.text);
    const id = randomUUID();
    const key = textKey({ tenantId: auth.tenantId, knowledgeBaseId: kbId, id }, 'source');
    const created = await p.db.withTenant(auth, async (tx) => {
      await loadKnowledgeBase(tx, kbId);
      // Same text already in this base (and not failed): answer with that document, embed nothing.
      const [same] = await tx
        .select(DOCUMENT_COLUMNS)
        .from(documents)
        .where(
          and(
            eq(documents.knowledgeBaseId, kbId),
            eq(documents.contentHash, hash),
            ne(documents.status, 'failed'),
          ),
        )
        .limit(1);
      if (same) return { doc: same, duplicate: true };
      const [doc] = await tx
        .insert(documents)
        .values({
          tenantId: auth.tenantId,
          knowledgeBaseId: kbId,
          id,
          title: body.title,
          source: 'text',
          s3Key: key,
          contentHash: hash,
          byteSize: Buffer.byteLength(body.text),
          metadata: body.metadata ?? {},
          status: 'queued',
          generation: 1,
          createdBy: actorOf(auth),
        })
        .returning(DOCUMENT_COLUMNS);
      await recordAudit(tx, {
        tenantId: auth.tenantId,
        actor: actorOf(auth),
        action: 'document.create',
        target: `document:${doc.id}`,
        data: { knowledgeBaseId: kbId, title: doc.title, source: 'text' },
      });
      // Written inside the transaction: if the object cannot be stored, no document is created.
      await p.s3.send(
        new PutObjectCommand({
          Bucket: p.config.DOCUMENTS_BUCKET,
          Key: key,
          Body: body.text,
          ContentType: 'text/plain; charset=utf-8',
        }),
      );
      return { doc, duplicate: false };
    });
    if (created.duplicate)
      return { status: 200, body: { ...documentView(created.doc), duplicate: true } };
    await startIngestion(p, auth.tenantId, created.doc.id, 1);
    return { status: 202, body: documentView(created.doc) };
  }

  const id = randomUUID();
  const key = `${auth.tenantId}/${kbId}/${id}/${body.filename}`;
  const doc = await p.db.withTenant(auth, async (tx) => {
    await loadKnowledgeBase(tx, kbId);
    const [row] = await tx
      .insert(documents)
      .values({
        id,
        tenantId: auth.tenantId,
        knowledgeBaseId: kbId,
        title: body.title ?? body.filename,
        source: 'upload',
        filename: body.filename,
        contentType: body.contentType,
        s3Key: key,
        metadata: body.metadata ?? {},
        status: 'queued',
        createdBy: actorOf(auth),
      })
      .returning(DOCUMENT_COLUMNS);
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'document.create',
      target: `document:${id}`,
      data: { knowledgeBaseId: kbId, filename: body.filename, source: 'upload' },
    });
    return row;
  });
  const uploadUrl = await getSignedUrl(
    presigner(p),
    new PutObjectCommand({
      Bucket: p.config.DOCUMENTS_BUCKET,
      Key: key,
      ContentType: body.contentType,
    }),
    { expiresIn: UPLOAD_URL_TTL_SECONDS },
  );
  return {
    status: 201,
    body: {
      ...documentView(doc),
      uploadUrl,
      uploadExpiresAt: new Date(p.now() + UPLOAD_URL_TTL_SECONDS * 1000).toISOString(),
    },
  };
}

const presignClients = new WeakMap<Platform, S3Client>();
/**
 * The platform S3 client, minus default request checksums: with them the SDK presigns a CRC32 of
 * the empty body into the URL, and S3 rejects every real upload to it.
 */
function presigner(p: Platform): S3Client {
  let client = presignClients.get(p);
  if (!client) {
    const c = p.s3.config;
    client = new S3Client({
      region: c.region,
      credentials: c.credentials,
      endpoint: c.endpoint,
      forcePathStyle: c.forcePathStyle,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    presignClients.set(p, client);
  }
  return client;
}

/** Starts (or restarts) ingestion: a new generation; a running one is left alone (idempotent). */
export async function ingestDocument(p: Platform, auth: AuthContext, kbId: string, docId: string) {
  const doc = await p.db.withTenant(auth, (tx) => loadDocument(tx, kbId, docId));
  if (RUNNING.includes(doc.status) || (doc.status === 'queued' && doc.executionId))
    return documentView(doc);
  if (doc.source === 'upload') {
    const key = doc.s3Key;
    if (!key) throw new Error(`internal: uploaded document ${docId} has no storage key`);
    try {
      await p.s3.send(new HeadObjectCommand({ Bucket: p.config.DOCUMENTS_BUCKET, Key: key }));
    } catch (e) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (e as Error).name === 'NotFound' || (e as Error).name === 'NoSuchKey')
        throw new Conflict(
          `document ${docId} has no uploaded file yet: PUT it to the uploadUrl first`,
        );
      throw e;
    }
  }
  const updated = await p.db.withTenant(auth, async (tx) => {
    const [row] = await tx
      .update(documents)
      .set({
        generation: sql`${documents.generation} + 1`,
        status: 'queued',
        error: null,
        executionId: null,
        updatedAt: new Date(p.now()),
      })
      .where(and(eq(documents.id, docId), eq(documents.generation, doc.generation)))
      .returning(DOCUMENT_COLUMNS);
    if (!row) throw new Conflict(`document ${docId} is already being ingested`);
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'document.ingest',
      target: `document:${docId}`,
      data: { generation: row.generation },
    });
    return row;
  });
  await startIngestion(p, auth.tenantId, docId, updated.generation);
  return documentView(updated);
}

async function startIngestion(
  p: Platform,
  tenantId: string,
  docId: string,
  generation: number,
): Promise<void> {
  // The execution name is unique per generation: a retried start is Step Functions-idempotent.
  const { executionId } = await p.executions.start(
    'ingestDocument',
    `ingest-${docId}-g${generation}`,
    { tenantId, documentId: docId, generation },
  );
  await p.db.withTenant({ tenantId }, (tx) =>
    tx
      .update(documents)
      .set({ executionId })
      .where(and(eq(documents.id, docId), eq(documents.generation, generation))),
  );
}

export async function listDocuments(
  p: Platform,
  auth: AuthContext,
  kbId: string,
  page: { limit: number; cursor?: string },
) {
  return p.db.withTenant(auth, async (tx) => {
    await loadKnowledgeBase(tx, kbId);
    const rows = await tx
      .select(DOCUMENT_COLUMNS)
      .from(documents)
      .where(
        and(
          eq(documents.knowledgeBaseId, kbId),
          page.cursor ? lt(documents.createdAt, decodeTimeCursor(page.cursor)) : undefined,
        ),
      )
      .orderBy(desc(documents.createdAt))
      .limit(page.limit + 1);
    const items = rows.slice(0, page.limit);
    return {
      items: items.map(documentView),
      ...(rows.length > page.limit
        ? { nextCursor: items[items.length - 1].createdAt.toISOString() }
        : {}),
    };
  });
}

export async function getDocument(p: Platform, auth: AuthContext, kbId: string, docId: string) {
  return p.db.withTenant(auth, async (tx) => documentView(await loadDocument(tx, kbId, docId)));
}

export async function deleteDocument(
  p: Platform,
  auth: AuthContext,
  kbId: string,
  docId: string,
): Promise<void> {
  const doc = await p.db.withTenant(auth, async (tx) => {
    const row = await loadDocument(tx, kbId, docId);
    // Chunks and batch records cascade; a running ingestion finds the document gone and stops.
    await tx.delete(documents).where(eq(documents.id, docId));
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'document.delete',
      target: `document:${docId}`,
      data: { knowledgeBaseId: kbId, title: row.title },
    });
    return row;
  });
  const keys = [
    ...(doc.s3Key ? [doc.s3Key] : []),
    ...Array.from({ length: doc.generation }, (_, i) => textKey(doc, i + 1)),
  ];
  for (const key of keys)
    await p.s3
      .send(new DeleteObjectCommand({ Bucket: p.config.DOCUMENTS_BUCKET, Key: key }))
      .catch((e) => p.log.warn('document object not deleted', { error: e, docId }));
}
