import { Reply, httpHandler, type Request } from '../../shared/http/api-handler';
import { routes } from '../../shared/api/routes';
import { receiveWebhook } from '../../shared/automation/receive';

type WebhookRequest = Request<(typeof routes.webhooks)[number]>;

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

export const handler = httpHandler(routes.webhooks, {
  'POST /v1/webhooks/github/{triggerId}': receive('github'),
  'POST /v1/webhooks/jira/{triggerId}': receive('jira'),
});
