import { route as r } from '../route';
import { IdParams, PageQuery, listOf } from '../contracts/common';
import * as knowledge from '../contracts/knowledge';

export const knowledgeRoutes = [
  r('GET', '/v1/knowledge-bases', 'viewer', 'List knowledge bases', {
    query: PageQuery,
    response: listOf(knowledge.KnowledgeBase),
  }),
  r(
    'POST',
    '/v1/knowledge-bases',
    'dev',
    'Create a knowledge base (embedding model and chunking are fixed for its life)',
    { body: knowledge.KnowledgeBaseCreateBody, response: knowledge.KnowledgeBase, status: 201 },
  ),
  r('GET', '/v1/knowledge-bases/{id}', 'viewer', 'Get a knowledge base', {
    params: IdParams,
    response: knowledge.KnowledgeBase,
  }),
  r(
    'DELETE',
    '/v1/knowledge-bases/{id}',
    'dev',
    'Delete a knowledge base with its documents and chunks',
    { params: IdParams, status: 204 },
  ),
  r(
    'GET',
    '/v1/knowledge-bases/{id}/documents',
    'viewer',
    'List documents with status and chunk count',
    { params: IdParams, query: PageQuery, response: listOf(knowledge.Document) },
  ),
  r(
    'POST',
    '/v1/knowledge-bases/{id}/documents',
    'dev',
    'Add a document: {title, text} ingests at once; {filename, contentType} returns a presigned uploadUrl',
    {
      params: IdParams,
      body: knowledge.DocumentCreateBody,
      response: knowledge.DocumentCreated,
      status: 202,
    },
  ),
  r('GET', '/v1/knowledge-bases/{id}/documents/{docId}', 'viewer', 'Get a document', {
    params: knowledge.KbDocParams,
    response: knowledge.Document,
  }),
  r(
    'DELETE',
    '/v1/knowledge-bases/{id}/documents/{docId}',
    'dev',
    'Delete a document and its chunks',
    { params: knowledge.KbDocParams, status: 204 },
  ),
  r(
    'POST',
    '/v1/knowledge-bases/{id}/documents/{docId}/ingest',
    'dev',
    'Ingest (or re-ingest) a document, e.g. after its upload',
    { params: knowledge.KbDocParams, response: knowledge.Document, status: 202 },
  ),
  r(
    'POST',
    '/v1/knowledge-bases/{id}/search',
    'viewer',
    'Hybrid search (vector + full text, reciprocal rank fusion) with citations',
    { params: IdParams, body: knowledge.SearchBody, response: knowledge.SearchResult },
  ),
] as const;
