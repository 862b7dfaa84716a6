import { formatTokens, formatUsd } from '../format';
import type { Bucket } from '../usage/aggregate';

/** The numbers behind a chart, for screen readers and exact figures. */
export function BucketTable({
  data,
  label,
  keyLabel,
}: {
  data: readonly Bucket[];
  label: string;
  keyLabel: string;
}) {
  return (
    <details className="disclosure">
      <summary>Show as table</summary>
      <div className="table-wrap">
        <table className="table table-compact">
          <caption className="sr-only">{label}</caption>
          <thead>
            <tr>
              <th scope="col">{keyLabel}</th>
              <th scope="col" className="num">
                Cost
              </th>
              <th scope="col" className="num">
                Input tokens
              </th>
              <th scope="col" className="num">
                Output tokens
              </th>
            </tr>
          </thead>
          <tbody>
            {data.map((b) => (
              <tr key={b.key}>
                <td>{b.key}</td>
                <td className="num">{formatUsd(b.costUsd)}</td>
                <td className="num">{formatTokens(b.inputTokens)}</td>
                <td className="num">{formatTokens(b.outputTokens)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
