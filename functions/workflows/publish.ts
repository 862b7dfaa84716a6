import { publishWorkflow } from '../../shared/catalog/publish';
import type { RouteImpls } from '../../shared/http/api-handler';
import type { workflowsRoutes } from '../../shared/api/routes/workflows';

type Impls = RouteImpls<typeof workflowsRoutes>;

/** Kept apart from handler.ts: publishing is its own concern (ADR 120). */
export const publishImpls: Pick<Impls, 'POST /v1/workflows/{id}/publish'> = {
  'POST /v1/workflows/{id}/publish': async ({ platform, auth, params, body }) =>
    publishWorkflow(platform, auth, params.id, body.version),
};
