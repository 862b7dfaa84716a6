import { Reply, httpHandler, type Request } from '../../shared/http/api-handler';
import { triggersRoutes } from '../../shared/api/routes/triggers';
import {
  createTrigger,
  deleteTrigger,
  getTrigger,
  listTriggers,
  updateTrigger,
} from '../../shared/automation/triggers';
import { listDeliveries } from '../../shared/automation/deliveries';

/** Webhook URLs point at this API: the configured public URL, else the host the caller reached. */
const apiBase = (req: Request) => {
  if (req.platform.config.API_PUBLIC_URL) return req.platform.config.API_PUBLIC_URL;
  const proto =
    req.headers['x-forwarded-proto'] ??
    (/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(req.headers.host ?? '') ? 'http' : 'https');
  return `${proto}://${req.headers.host ?? 'localhost'}`;
};

export const handler = httpHandler(triggersRoutes, {
  'GET /v1/triggers': async (req) => listTriggers(req.platform, req.auth, req.query, apiBase(req)),
  'POST /v1/triggers': async (req) =>
    new Reply(201, await createTrigger(req.platform, req.auth, req.body, apiBase(req))),
  'GET /v1/triggers/{id}': async (req) =>
    getTrigger(req.platform, req.auth, req.params.id, apiBase(req)),
  'PATCH /v1/triggers/{id}': async (req) =>
    updateTrigger(req.platform, req.auth, req.params.id, req.body, apiBase(req)),
  'DELETE /v1/triggers/{id}': async (req) => {
    await deleteTrigger(req.platform, req.auth, req.params.id);
    return new Reply(204);
  },
  'GET /v1/triggers/{id}/deliveries': async (req) =>
    listDeliveries(req.platform, req.auth, req.params.id, req.query),
});
