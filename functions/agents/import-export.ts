/** Agent files (ADR 140): export as JSON or YAML, import idempotently. */
import type { RouteImpls } from '../../shared/http/api-handler';
import type { agentFileRoutes } from '../../shared/api/routes/catalog-files';
import { exportAgent, importAgent } from '../../shared/catalog/import-export';
import { fileReply } from '../../shared/http/file-reply';

export const agentFileImpls: RouteImpls<typeof agentFileRoutes> = {
  'GET /v1/agents/{id}/export': async ({ platform, auth, params, query, headers }) => {
    const file = await exportAgent(platform, auth, params.id);
    return fileReply(file, `${file.slug}.agent`, query.format, headers.accept);
  },
  'POST /v1/agents/import': async ({ platform, auth, body, query }) => {
    const dryRun = query.dryRun === 'true';
    return { items: [await importAgent(platform, auth, body, { dryRun })], dryRun };
  },
};
