import { Link } from '../router/Link';

export interface TabItem {
  to: string;
  label: string;
}

/** Route-backed tabs: plain links, so every tab has its own address. */
export function Tabs({
  items,
  current,
  label,
}: {
  items: readonly TabItem[];
  current: string;
  label: string;
}) {
  return (
    <nav className="tabs" aria-label={label}>
      {items.map((t) => (
        <Link
          key={t.to}
          to={t.to}
          className={`tab${current === t.to ? ' tab-active' : ''}`}
          aria-current={current === t.to ? 'page' : undefined}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
