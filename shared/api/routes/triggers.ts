import { route as r } from '../route';
import { IdParams, PageQuery, listOf } from '../contracts/common';
import * as triggers from '../contracts/triggers';

export const triggersRoutes = [
  r('GET', '/v1/triggers', 'viewer', 'List triggers', {
    query: PageQuery,
    response: listOf(triggers.Trigger),
  }),
  r('POST', '/v1/triggers', 'admin', 'Create a trigger (the webhook secret is shown once)', {
    body: triggers.TriggerCreateBody,
    response: triggers.TriggerCreated,
    status: 201,
  }),
  r('GET', '/v1/triggers/{id}', 'viewer', 'Get a trigger', {
    params: IdParams,
    response: triggers.Trigger,
  }),
  r('PATCH', '/v1/triggers/{id}', 'admin', 'Change a trigger (credentials are write-only)', {
    params: IdParams,
    body: triggers.TriggerPatchBody,
    response: triggers.Trigger,
  }),
  r('DELETE', '/v1/triggers/{id}', 'admin', 'Delete a trigger and its secrets', {
    params: IdParams,
    status: 204,
  }),
  r(
    'GET',
    '/v1/triggers/{id}/deliveries',
    'viewer',
    'Deliveries a trigger received and what became of them',
    { params: IdParams, query: triggers.DeliveriesQuery, response: listOf(triggers.Delivery) },
  ),
] as const;
