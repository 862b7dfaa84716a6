import { route as r } from '../route';
import * as triggers from '../contracts/triggers';

export const webhooksRoutes = [
  {
    ...r(
      'POST',
      '/v1/webhooks/github/{triggerId}',
      'public',
      'Receive a GitHub delivery (X-Hub-Signature-256)',
      { params: triggers.WebhookParams, response: triggers.WebhookAck, status: 202 },
    ),
    rawBody: true,
  },
  {
    ...r(
      'POST',
      '/v1/webhooks/jira/{triggerId}',
      'public',
      'Receive a Jira delivery (X-Hub-Signature)',
      { params: triggers.WebhookParams, response: triggers.WebhookAck, status: 202 },
    ),
    rawBody: true,
  },
] as const;
