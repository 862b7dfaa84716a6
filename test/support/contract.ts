/**
 * Every answer the integration suites receive is checked against the response schema its route
 * declares, so a handler that drifts from its contract fails the test that called it.
 */
import { allRoutes, type BoundRoute } from '../../infra/manifest';

interface Matcher {
  route: BoundRoute;
  pattern: RegExp;
  params: number;
}

const matchers: Matcher[] = allRoutes()
  .map((route) => ({
    route,
    pattern: new RegExp(`^${route.path.replace(/\{[^/]+\}/g, '[^/]+')}$`),
    params: (route.path.match(/\{/g) ?? []).length,
  }))
  // A literal segment wins over a placeholder (`/v1/runs/{id}` vs a fixed path of the same shape).
  .sort((a, b) => a.params - b.params);

export function routeFor(method: string, url: string): BoundRoute | undefined {
  const path = url.split('?')[0];
  return matchers.find((m) => m.route.method === method && m.pattern.test(path))?.route;
}

/** Each route key whose answer was checked in this test file. */
export const checkedRoutes = new Set<string>();

export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

export function checkResponse(method: string, url: string, status: number, body: unknown): void {
  const route = routeFor(method, url);
  if (!route?.response || status < 200 || status >= 300 || status === 204) return;
  const parsed = route.response.safeParse(body);
  if (!parsed.success)
    throw new ContractViolation(
      `${route.routeKey} answered ${status} with a body its response schema rejects: ${parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  checkedRoutes.add(route.routeKey);
}
