import { httpHandler } from '../../shared/http/api-handler';
import { usageRoutes } from '../../shared/api/routes/usage';
import { budgetsView, setBudgets } from '../../shared/llm/budget-view';
import { listPrices, setTenantPrice } from '../../shared/llm/prices';
import { usageForPeriod } from '../../shared/llm/usage';

export const handler = httpHandler(usageRoutes, {
  'GET /v1/usage': async ({ platform, auth, query }) => usageForPeriod(platform, auth, query),
  'GET /v1/budgets': async ({ platform, auth }) => budgetsView(platform, auth),
  'PUT /v1/budgets': async ({ platform, auth, body }) => setBudgets(platform, auth, body),
  'GET /v1/prices': async ({ platform, auth }) => ({
    items: await platform.db.withTenant(auth, (tx) =>
      listPrices(tx, auth.tenantId, new Date(platform.now())),
    ),
  }),
  'PUT /v1/prices/{provider}/{model}': async ({ platform, auth, params, body }) =>
    setTenantPrice(platform, auth, params.provider, params.model, body),
});
