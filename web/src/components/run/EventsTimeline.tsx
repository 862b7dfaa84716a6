import type { RunEvent } from '../../api/types';
import { formatTime } from '../../format';

/** The run's timeline, newest last, announced politely while the run is live. */
export function EventsTimeline({ events, live }: { events: readonly RunEvent[]; live: boolean }) {
  return (
    <section className="card" aria-labelledby="timeline-title">
      <div className="card-header">
        <h2 id="timeline-title">Timeline</h2>
        <span className="muted">{events.length} events</span>
      </div>
      {events.length === 0 ? (
        <p className="muted">No events yet.</p>
      ) : (
        <ol className="timeline" aria-live={live ? 'polite' : 'off'} data-testid="events-timeline">
          {events.map((e) => (
            <li key={e.seq} className={`timeline-item ev-${e.type.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`}>
              <time dateTime={e.at}>{formatTime(e.at)}</time>
              <span className="timeline-type">{e.type}</span>
              {e.nodeId && <span className="mono timeline-node">{e.nodeId}</span>}
              <span className="timeline-msg">{e.message}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
