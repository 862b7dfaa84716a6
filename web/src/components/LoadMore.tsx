/** The button under a keyset-paged list; shown only while the API returned a next cursor. */
export function LoadMore({
  nextCursor,
  onMore,
  label = 'Load more',
}: {
  nextCursor: string | null | undefined;
  onMore: () => void;
  label?: string;
}) {
  if (!nextCursor) return null;
  return (
    <div className="center">
      <button type="button" className="btn btn-secondary" onClick={onMore}>
        {label}
      </button>
    </div>
  );
}
