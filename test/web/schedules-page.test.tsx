/** @jest-environment jsdom */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Schedule } from '../../web/src/api/types';
import { SchedulesPage, previewFirings } from '../../web/src/pages/SchedulesPage';
import { apiWith, renderWithApi } from './support';

const WF = '22222222-2222-4222-8222-222222222222';
const schedule: Schedule = {
  id: '33333333-3333-4333-8333-333333333333',
  workflowId: WF,
  workflowSlug: 'digest',
  version: null,
  cron: '0 9 * * *',
  timezone: 'Europe/Berlin',
  input: {},
  enabled: true,
  nextFireAt: '2026-12-02T08:00:00.000Z',
  upcoming: [],
  lastFiredAt: null,
  lastRunId: null,
  lastError: null,
  createdAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-01T10:00:00Z',
};

function scripted() {
  return apiWith((call) => {
    if (call.path === '/v1/schedules' && call.method === 'GET')
      return { status: 200, body: { items: [schedule] } };
    if (call.path === '/v1/workflows')
      return {
        status: 200,
        body: {
          items: [
            {
              id: WF,
              slug: 'digest',
              name: 'Digest',
              description: '',
              version: 1,
              publishedVersion: 1,
              inputs: [],
              nodes: [{ id: 'a', type: 'approval' }],
              edges: [],
              createdAt: '2026-11-01T10:00:00Z',
              updatedAt: '2026-11-01T10:00:00Z',
            },
          ],
        },
      };
    if (call.method === 'POST') return { status: 201, body: schedule };
    if (call.method === 'PATCH') return { status: 200, body: { ...schedule, enabled: false } };
    return { status: 404 };
  });
}

test('previews the next firings in the zone and names a bad field', () => {
  const now = new Date('2026-10-23T12:00:00Z');
  expect(
    previewFirings('30 2 * * *', 'Europe/Berlin', now, 3).firings.map((d) => d.toISOString()),
  ).toEqual(['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  expect(previewFirings('61 * * * *', 'UTC', now).cronError).toBe('minute: 61 is outside 0-59');
  expect(previewFirings('0 9 * * *', 'Nowhere/City', now).zoneError).toContain('IANA');
  expect(previewFirings('0 0 30 2 *', 'UTC', now).cronError).toContain('never fires');
});

test('lists schedules, disables one, and creates one with cron and time zone', async () => {
  // Prepare
  const { api, calls } = scripted();
  renderWithApi(<SchedulesPage />, api, 'dev');
  const card = await screen.findByTestId(`schedule-${schedule.id}`);

  // Act: disable
  fireEvent.click(within(card).getByRole('button', { name: 'Disable' }));
  await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));

  // Act: create, first with a bad cron
  fireEvent.click(screen.getByRole('button', { name: 'New schedule' }));
  await screen.findByText('Digest');
  const cron = screen.getByLabelText('Cron');
  fireEvent.change(cron, { target: { value: '0 25 * * *' } });
  const cronError = await screen.findByText('hour: 25 is outside 0-23');
  fireEvent.change(cron, { target: { value: '0 7 * * 1' } });
  fireEvent.change(screen.getByLabelText('Time zone'), { target: { value: 'Asia/Tokyo' } });
  const firings = within(screen.getByTestId('next-firings')).getAllByRole('listitem');
  fireEvent.click(screen.getByRole('button', { name: 'Create schedule' }));
  const created = () => calls.find((c) => c.method === 'POST' && c.path === '/v1/schedules');
  await waitFor(() => expect(created()).toBeDefined());

  // Assess
  expect(cronError).toBeTruthy();
  expect(firings).toHaveLength(5);
  expect(calls.find((c) => c.method === 'PATCH')).toMatchObject({
    path: `/v1/schedules/${schedule.id}`,
    body: { enabled: false },
  });
  expect(created()).toMatchObject({
    body: { workflowId: WF, cron: '0 7 * * 1', timezone: 'Asia/Tokyo', input: {}, enabled: true },
  });
});
