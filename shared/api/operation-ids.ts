/** Stable, readable OpenAPI operation ids derived from the method and path (ADR 072). */

/** Operation ids for paths the verb rules below would name awkwardly. */
const OPERATION_IDS: Record<string, string> = {
  'GET /health': 'getHealth',
  'GET /ready': 'getReadiness',
  'GET /openapi.json': 'getOpenApiDocument',
  'GET /v1/me': 'getMe',
  'POST /v1/auth/signup': 'signUp',
  'POST /v1/auth/login': 'logIn',
  'POST /v1/auth/refresh': 'refreshTokens',
  'POST /v1/auth/logout': 'logOut',
  'POST /v1/workflows/{id}/runs': 'startRun',
  'GET /v1/workflows/{id}/export': 'exportWorkflow',
  'POST /v1/workflows/import': 'importWorkflow',
  'GET /v1/agents/{id}/export': 'exportAgent',
  'POST /v1/agents/import': 'importAgent',
  'GET /v1/runs/{id}/stream': 'streamRunEvents',
  'GET /v1/audit/verify': 'verifyAuditLog',
  'GET /v1/audit': 'listAuditEntries',
  'GET /v1/usage': 'getUsage',
  'GET /v1/approvals': 'listWaitingApprovals',
  'POST /v1/agents/{id}/try': 'tryAgent',
  'GET /v1/budgets': 'getBudgets',
  'PUT /v1/budgets': 'setBudgets',
  'POST /mcp': 'callMcp',
  'POST /v1/webhooks/github/{triggerId}': 'receiveGithubWebhook',
  'POST /v1/webhooks/jira/{triggerId}': 'receiveJiraWebhook',
};
const ACTIONS = new Set([
  'cancel',
  'rerun',
  'approve',
  'reject',
  'publish',
  'search',
  'ingest',
  'verify',
  'test',
  'rotate',
  'stream',
]);

export const pascal = (s: string) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
const singular = (s: string) => {
  if (s.endsWith('ies')) return `${s.slice(0, -3)}y`;
  if (/(ss|ch|sh|x)es$/.test(s)) return s.slice(0, -2);
  return s.replace(/s$/, '');
};

/** `GET /v1/agents` → listAgents, `POST /v1/runs/{id}/cancel` → cancelRun, and so on. */
export function operationId(method: string, path: string): string {
  const fixed = OPERATION_IDS[`${method} ${path}`];
  if (fixed) return fixed;
  const segments = path.split('/').filter((s) => s && s !== 'v1');
  const isItem = segments[segments.length - 1]?.startsWith('{') ?? false;
  const statics = segments.filter((s) => !s.startsWith('{'));
  const last = statics[statics.length - 1] ?? 'root';
  if (ACTIONS.has(last) && method === 'POST')
    return last + statics.slice(0, -1).map(singular).map(pascal).join('');
  const owners = statics.slice(0, -1).map(singular).map(pascal).join('');
  const noun = pascal(last);
  switch (method) {
    case 'GET':
      return isItem ? `get${owners}${pascal(singular(last))}` : `list${owners}${noun}`;
    case 'POST':
      return `create${owners}${pascal(singular(last))}`;
    case 'PATCH':
      return `update${owners}${pascal(singular(last))}`;
    case 'PUT':
      return `set${owners}${pascal(singular(last))}`;
    case 'DELETE':
      return `delete${owners}${pascal(singular(last))}`;
    default:
      return `${method.toLowerCase()}${owners}${noun}`;
  }
}
