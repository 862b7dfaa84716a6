import { Reply, httpHandler } from '../../shared/http/api-handler';
import { schedulesRoutes } from '../../shared/api/routes/schedules';
import {
  createSchedule,
  deleteSchedule,
  getSchedule,
  listSchedules,
  updateSchedule,
} from '../../shared/schedules/schedules';

export const handler = httpHandler(schedulesRoutes, {
  'GET /v1/schedules': async ({ platform, auth, query }) => listSchedules(platform, auth, query),
  'POST /v1/schedules': async ({ platform, auth, body }) =>
    new Reply(201, await createSchedule(platform, auth, body)),
  'GET /v1/schedules/{id}': async ({ platform, auth, params }) =>
    getSchedule(platform, auth, params.id),
  'PATCH /v1/schedules/{id}': async ({ platform, auth, params, body }) =>
    updateSchedule(platform, auth, params.id, body),
  'DELETE /v1/schedules/{id}': async ({ platform, auth, params }) => {
    await deleteSchedule(platform, auth, params.id);
    return new Reply(204);
  },
});
