/**
 * Knowledge bases: create, list, get, delete, and search. The embedding model and its dimension are
 * fixed at creation (a new model means a new base: vectors of two models are not comparable).
 */
import { and, count, desc, eq, lt, sql } from 'drizzle-orm';
import { decodeTimeCursor } from '../db/cursor';
import type { KnowledgeBaseCreate } from '../api/contracts/knowledge';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import type { Tx } from '../db/client';
import { documents, knowledgeBases } from '../db/schema-knowledge';
import { NotFound } from '../errors';
import type { Platform } from '../platform/platform';
import { parseEmbeddingModel } from './embedders/types';
import { parseRerankRef } from './rerank/types';

export type KnowledgeBaseRow = typeof knowledgeBases.$inferSelect;

export function kbView(kb: KnowledgeBaseRow, documentCount = 0) {
  return {
    id: kb.id,
    name: kb.name,
    description: kb.description,
    embeddingModel: kb.embeddingModel,
    dimensions: kb.dimensions,
    chunking: { size: kb.chunkSize, overlap: kb.chunkOverlap },
    rerank: kb.rerank ?? null,
    documentCount,
    createdAt: kb.createdAt.toISOString(),
    updatedAt: kb.updatedAt.toISOString(),
  };
}

export async function loadKnowledgeBase(tx: Tx, id: string): Promise<KnowledgeBaseRow> {
  // RLS: another tenant's base is simply not there.
  const [kb] = await tx.select().from(knowledgeBases).where(eq(knowledgeBases.id, id));
  if (!kb) throw new NotFound(`knowledge base ${id} not found`);
  return kb;
}

export async function createKnowledgeBase(
  p: Platform,
  auth: AuthContext,
  body: KnowledgeBaseCreate,
) {
  const model = parseEmbeddingModel(body.embeddingModel, body.dimensions);
  if (body.rerank) parseRerankRef(body.rerank);
  return p.db.withTenant(auth, async (tx) => {
    const [kb] = await tx
      .insert(knowledgeBases)
      .values({
        tenantId: auth.tenantId,
        name: body.name,
        description: body.description,
        embeddingModel: body.embeddingModel,
        dimensions: model.dimensions,
        chunkSize: body.chunking.size,
        chunkOverlap: body.chunking.overlap,
        rerank: body.rerank ?? null,
        createdBy: actorOf(auth),
      })
      .returning();
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'knowledge_base.create',
      target: `knowledge_base:${kb.id}`,
      data: { name: kb.name, embeddingModel: kb.embeddingModel, rerank: kb.rerank },
    });
    return kbView(kb);
  });
}

export async function listKnowledgeBases(
  p: Platform,
  auth: AuthContext,
  page: { limit: number; cursor?: string },
) {
  return p.db.withTenant(auth, async (tx) => {
    const rows = await tx
      .select()
      .from(knowledgeBases)
      .where(page.cursor ? lt(knowledgeBases.createdAt, decodeTimeCursor(page.cursor)) : undefined)
      .orderBy(desc(knowledgeBases.createdAt))
      .limit(page.limit + 1);
    const items = rows.slice(0, page.limit);
    const counts = items.length
      ? await tx
          .select({ kb: documents.knowledgeBaseId, n: count() })
          .from(documents)
          .where(
            sql`${documents.knowledgeBaseId} = ANY(${sql.raw(`ARRAY[${items.map((k) => `'${k.id}'`).join(',')}]::uuid[]`)})`,
          )
          .groupBy(documents.knowledgeBaseId)
      : [];
    const byKb = new Map(counts.map((c) => [c.kb, Number(c.n)]));
    return {
      items: items.map((k) => kbView(k, byKb.get(k.id) ?? 0)),
      ...(rows.length > page.limit
        ? { nextCursor: items[items.length - 1].createdAt.toISOString() }
        : {}),
    };
  });
}

export async function getKnowledgeBase(p: Platform, auth: AuthContext, id: string) {
  return p.db.withTenant(auth, async (tx) => {
    const kb = await loadKnowledgeBase(tx, id);
    const [{ n }] = await tx
      .select({ n: count() })
      .from(documents)
      .where(eq(documents.knowledgeBaseId, id));
    return kbView(kb, Number(n));
  });
}

export async function deleteKnowledgeBase(
  p: Platform,
  auth: AuthContext,
  id: string,
): Promise<void> {
  await p.db.withTenant(auth, async (tx) => {
    const kb = await loadKnowledgeBase(tx, id);
    // Documents, chunks and batch records go with it (ON DELETE CASCADE).
    await tx.delete(knowledgeBases).where(and(eq(knowledgeBases.id, id)));
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'knowledge_base.delete',
      target: `knowledge_base:${id}`,
      data: { name: kb.name },
    });
  });
}
