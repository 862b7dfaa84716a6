import type { MappedIssues } from '../../dag/issues';

/** The list of problems from the last save, each node problem a button that selects its node. */
export function IssueSummary({
  issues,
  onSelectNode,
}: {
  issues: MappedIssues;
  onSelectNode: (id: string) => void;
}) {
  const nodeEntries = Object.entries(issues.byNode);
  const inputCount = Object.values(issues.byInput).reduce((n, l) => n + l.length, 0);
  const fieldEntries = Object.entries(issues.byField);
  if (
    nodeEntries.length === 0 &&
    issues.general.length === 0 &&
    inputCount === 0 &&
    fieldEntries.length === 0
  )
    return null;
  return (
    <div className="alert alert-danger" role="alert" data-testid="issue-summary">
      <strong>The workflow was not saved.</strong> Fix these problems:
      <ul className="alert-details">
        {nodeEntries.map(([id, list]) => (
          <li key={id}>
            <button type="button" className="link-button" onClick={() => onSelectNode(id)}>
              {id}
            </button>
            : {list.map((i) => i.message).join(' · ')}
          </li>
        ))}
        {fieldEntries.map(([field, list]) => (
          <li key={field}>
            {field}: {list.join(' · ')}
          </li>
        ))}
        {inputCount > 0 && <li>Run inputs: see the inputs editor.</li>}
        {issues.general.map((g, i) => (
          <li key={`g${i}`}>
            {g.path && <code>{g.path}</code>} {g.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
