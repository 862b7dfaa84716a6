import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { Link } from '../router/Link';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Not found" />
      <EmptyState
        title="There is no page at this address"
        action={
          <Link to="/runs" className="btn btn-primary">
            Go to runs
          </Link>
        }
      />
    </>
  );
}
