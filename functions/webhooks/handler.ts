import { Reply, httpHandler, type Request } from '../../shared/http/api-handler';
import { webhooksRoutes } from '../../shared/api/routes/webhooks';
import { receiveWebhook } from '../../shared/automation/receive';

type WebhookRequest = Request<(typeof webhooksRoutes)[number]>;

const receive = (source: 'github' | 'jira') => async (req: WebhookRequest) =>
  new Reply(
    202,
    await receiveWebhook(req.platform, {
      source,
      triggerId: req.params.triggerId,
      raw: req.rawBody,
      json: req.body,
      headers: req.headers,
    }),
  );

export const handler = httpHandler(webhooksRoutes, {
  'POST /v1/webhooks/github/{triggerId}': receive('github'),
  'POST /v1/webhooks/jira/{triggerId}': receive('jira'),
});
