import { Reply, httpHandler } from '../../shared/http/api-handler';
import { batchesRoutes } from '../../shared/api/routes/batches';
import { cancelBatch, getBatch, listBatches, startBatch } from '../../shared/batches/batches';
import { idempotencyKeyOf } from '../../shared/idempotency/header';

export const handler = httpHandler(batchesRoutes, {
  'POST /v1/workflows/{id}/batches': async ({ platform, auth, params, query, body, headers }) => {
    // JSONL carries only the inputs; its settings come in the query string (ADR 160).
    const jsonl = /ndjson|jsonl/i.test(headers['content-type'] ?? '');
    const started = await startBatch(
      platform,
      auth,
      params.id,
      jsonl
        ? { inputs: body.inputs, maxConcurrency: query.maxConcurrency, version: query.version }
        : body,
      { form: jsonl ? 'jsonl' : 'json', idempotencyKey: idempotencyKeyOf(headers) },
    );
    return new Reply(202, { batchId: started.batchId, status: started.status });
  },
  'GET /v1/batches': async ({ platform, auth, query }) => listBatches(platform, auth, query),
  'GET /v1/batches/{id}': async ({ platform, auth, params, query }) =>
    getBatch(platform, auth, params.id, query),
  'POST /v1/batches/{id}/cancel': async ({ platform, auth, params }) =>
    cancelBatch(platform, auth, params.id),
});
