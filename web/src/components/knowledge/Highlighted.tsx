import { Fragment, useMemo } from 'react';
import { highlightSegments } from './highlight';

/** Text with the query terms in `<mark>`: React elements only, no HTML strings. */
export function Highlighted({ text, terms }: { text: string; terms: readonly string[] }) {
  const segments = useMemo(() => highlightSegments(text, terms), [text, terms]);
  return (
    <>
      {segments.map((s, i) =>
        s.match ? (
          <mark key={i} className="hl" data-testid="hit-mark">
            {s.text}
          </mark>
        ) : (
          <Fragment key={i}>{s.text}</Fragment>
        ),
      )}
    </>
  );
}
