import { ApiError, describeError, describeIssue } from '../api/errors';

/** An error as an alert, with field details when the API gave them. */
export function ErrorBanner({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div className="alert alert-danger" role="alert">
      <strong>{title ?? 'Something went wrong'}: </strong>
      {describeError(error)}
      {details.length > 1 && (
        <ul className="alert-details">
          {details.map((d, i) => (
            <li key={i}>{describeIssue(d)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
