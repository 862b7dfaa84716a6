/** Workflow files (ADR 140): export as JSON or YAML, import idempotently. */
import type { RouteImpls } from '../../shared/http/api-handler';
import type { workflowFileRoutes } from '../../shared/api/routes/catalog-files';
import { exportWorkflow, importWorkflow } from '../../shared/catalog/import-export';
import { fileReply } from '../../shared/http/file-reply';

export const workflowFileImpls: RouteImpls<typeof workflowFileRoutes> = {
  'GET /v1/workflows/{id}/export': async ({ platform, auth, params, query, headers }) => {
    const file = await exportWorkflow(platform, auth, params.id, {
      includeAgents: query.include === 'agents',
    });
    return fileReply(file, `${file.slug}.workflow`, query.format, headers.accept);
  },
  'POST /v1/workflows/import': async ({ platform, auth, body, query }) => {
    const dryRun = query.dryRun === 'true';
    return { items: await importWorkflow(platform, auth, body, { dryRun }), dryRun };
  },
};
