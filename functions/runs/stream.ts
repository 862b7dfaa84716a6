/** `GET /v1/runs/{id}/stream`: the run's events as Server-Sent Events (ADR 070). */
import { streamsRoutes } from '../../shared/api/routes/streams';
import { ValidationError } from '../../shared/errors';
import { streamHandler, type SseMessage } from '../../shared/http/stream-handler';
import { openRunEventStream } from '../../shared/runs/stream';

/** Stop this long before the function's timeout, so the client reconnects cleanly. */
const DEADLINE_MARGIN_MS = 5_000;

export const handler = streamHandler(streamsRoutes[0], async (req) => {
  const { platform: p, auth, params, query, lastEventId, signal } = req;
  const after = cursorOf(lastEventId) ?? query.after ?? 0;
  const items = await openRunEventStream(p, auth, params.id, {
    after,
    pollMs: p.config.STREAM_POLL_MS,
    heartbeatMs: p.config.STREAM_HEARTBEAT_MS,
    nearDeadline: () => req.remainingMs() < DEADLINE_MARGIN_MS,
    signal,
  });
  return (async function* (): AsyncGenerator<SseMessage> {
    for await (const item of items) {
      if (item.kind === 'event')
        yield { id: item.event.seq, event: item.event.type, data: item.event };
      else if (item.kind === 'heartbeat') yield { comment: 'heartbeat' };
      else if (item.kind === 'deadline') yield { comment: 'reconnect to continue' };
      // A named final event: EventSource clients would otherwise reconnect forever.
      else yield { event: 'end', data: { status: item.status } };
    }
  })();
});

function cursorOf(header: string | undefined): number | undefined {
  if (header === undefined || header === '') return undefined;
  if (!/^\d{1,15}$/.test(header))
    throw new ValidationError('Last-Event-ID must be the seq of an event', [
      { path: 'header.last-event-id', message: 'expected a non-negative integer' },
    ]);
  return Number(header);
}
