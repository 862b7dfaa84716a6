import type { RunEvent } from '../../api/types';
import { formatTime } from '../../format';
import { headingTrail } from '../knowledge/highlight';
import { formatScore } from '../knowledge/ScoreBar';
import { citationsOfEvent } from './citations';
import { isOutputDelta } from './partial-output';

/** The run's timeline, newest last, announced politely while the run is live. */
export function EventsTimeline({
  events: all,
  live,
}: {
  events: readonly RunEvent[];
  live: boolean;
}) {
  // A step's partial output grows in its step panel, not as dozens of timeline lines (ADR 142).
  const events = all.filter((e) => !isOutputDelta(e));
  return (
    <section className="card" aria-labelledby="timeline-title">
      <div className="card-header">
        <h2 id="timeline-title">Timeline</h2>
        <span className="muted">{events.length} events</span>
      </div>
      {events.length === 0 ? (
        <p className="muted">No events yet.</p>
      ) : (
        <ol
          className="timeline"
          aria-live={live ? 'polite' : 'off'}
          aria-labelledby="timeline-title"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a long run's timeline scrolls; the keyboard must reach it to scroll it (WCAG 2.1.1)
          tabIndex={0}
          data-testid="events-timeline"
        >
          {events.map((e) => (
            <li
              key={e.seq}
              className={`timeline-item ev-${e.type.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`}
              data-type={e.type}
              data-seq={e.seq}
            >
              <time dateTime={e.at}>{formatTime(e.at)}</time>
              <span className="timeline-type">
                {e.type === 'step.citations' ? 'sources retrieved' : e.type}
              </span>
              {e.nodeId && <span className="mono timeline-node">{e.nodeId}</span>}
              <span className="timeline-msg">{e.message}</span>
              {e.type === 'step.citations' && <EventSources event={e} />}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The sources of a `step.citations` event, one short line each. */
function EventSources({ event }: { event: RunEvent }) {
  const citations = citationsOfEvent(event);
  if (citations.length === 0) return null;
  return (
    <ul className="timeline-sources" data-testid="timeline-sources">
      {citations.map((c) => (
        <li key={`${c.n}-${c.chunkId}`}>
          <span className="mono">[{c.n}]</span> {c.title}
          {headingTrail(c.heading, c.title) ? (
            <span className="muted"> · {headingTrail(c.heading, c.title)}</span>
          ) : null}
          <span className="muted"> · score {formatScore(c.score)}</span>
        </li>
      ))}
    </ul>
  );
}
