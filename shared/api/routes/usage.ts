import { route as r } from '../route';
import { listOf } from '../contracts/common';
import * as usage from '../contracts/usage';
import * as providers from '../contracts/providers';

export const usageRoutes = [
  r(
    'GET',
    '/v1/usage',
    'viewer',
    'Cost and tokens grouped by workflow, run, step, provider, model, day',
    { query: usage.UsageQuery, response: usage.UsageReport },
  ),
  r('GET', '/v1/budgets', 'viewer', 'Monthly budgets with spent and in-flight amounts', {
    response: usage.Budgets,
  }),
  r('PUT', '/v1/budgets', 'admin', 'Set the monthly budget of the tenant and of workflows', {
    body: usage.BudgetsBody,
    response: usage.Budgets,
  }),
  r(
    'GET',
    '/v1/prices',
    'viewer',
    'Model prices in effect for this tenant (platform list prices and tenant prices)',
    { response: listOf(providers.Price) },
  ),
  r(
    'PUT',
    '/v1/prices/{provider}/{model}',
    'admin',
    "A new version of this tenant's price for a model",
    { params: providers.PriceParams, body: providers.PriceBody, response: providers.Price },
  ),
] as const;
