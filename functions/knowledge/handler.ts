import { Reply, httpHandler } from '../../shared/http/api-handler';
import { knowledgeRoutes } from '../../shared/api/routes/knowledge';
import {
  addDocument,
  deleteDocument,
  getDocument,
  ingestDocument,
  listDocuments,
} from '../../shared/rag/documents';
import {
  createKnowledgeBase,
  deleteKnowledgeBase,
  getKnowledgeBase,
  listKnowledgeBases,
} from '../../shared/rag/knowledge-bases';
import { searchKnowledgeBase } from '../../shared/rag/retrieval';

export const handler = httpHandler(knowledgeRoutes, {
  'GET /v1/knowledge-bases': async ({ platform, auth, query }) =>
    listKnowledgeBases(platform, auth, query),
  'POST /v1/knowledge-bases': async ({ platform, auth, body }) =>
    new Reply(201, await createKnowledgeBase(platform, auth, body)),
  'GET /v1/knowledge-bases/{id}': async ({ platform, auth, params }) =>
    getKnowledgeBase(platform, auth, params.id),
  'DELETE /v1/knowledge-bases/{id}': async ({ platform, auth, params }) => {
    await deleteKnowledgeBase(platform, auth, params.id);
    return new Reply(204);
  },
  'GET /v1/knowledge-bases/{id}/documents': async ({ platform, auth, params, query }) =>
    listDocuments(platform, auth, params.id, query),
  'POST /v1/knowledge-bases/{id}/documents': async ({ platform, auth, params, body }) => {
    const out = await addDocument(platform, auth, params.id, body);
    return new Reply(out.status, out.body);
  },
  'GET /v1/knowledge-bases/{id}/documents/{docId}': async ({ platform, auth, params }) =>
    getDocument(platform, auth, params.id, params.docId),
  'DELETE /v1/knowledge-bases/{id}/documents/{docId}': async ({ platform, auth, params }) => {
    await deleteDocument(platform, auth, params.id, params.docId);
    return new Reply(204);
  },
  'POST /v1/knowledge-bases/{id}/documents/{docId}/ingest': async ({ platform, auth, params }) =>
    new Reply(202, await ingestDocument(platform, auth, params.id, params.docId)),
  'POST /v1/knowledge-bases/{id}/search': async ({ platform, auth, params, body }) =>
    searchKnowledgeBase(platform, auth, params.id, body),
});
