import { useState, type ReactNode } from 'react';
import { Link } from '../router/Link';
import { useLocation } from '../router/useLocation';
import { useSession } from '../session/SessionContext';
import { useWaitingApprovalCount } from '../hooks/useWaitingApprovals';
import { ThemeToggle } from './ThemeToggle';

const NAV = [
  { to: '/runs', label: 'Runs' },
  { to: '/approvals', label: 'Approvals' },
  { to: '/workflows', label: 'Workflows' },
  { to: '/agents', label: 'Agents' },
  { to: '/usage', label: 'Usage' },
  { to: '/knowledge', label: 'Knowledge' },
  { to: '/triggers', label: 'Triggers' },
  { to: '/schedules', label: 'Schedules' },
  { to: '/settings', label: 'Settings' },
];

/** The app shell: skip link, banner with navigation, the main landmark. */
export function Layout({ children }: { children: ReactNode }) {
  const { me, role, signOut } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const waiting = useWaitingApprovalCount();
  // Batches are a tab under Runs: the Runs item stays current there.
  const inBatches = /^\/batches(\/|$)/.test(useLocation().path);
  return (
    <div className="shell">
      {/* A button, not a link: `#main` would be taken for a hash route. */}
      <button
        type="button"
        className="skip-link"
        onClick={() => document.getElementById('main')?.focus()}
      >
        Skip to content
      </button>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            H
          </span>
          <span className="brand-name">HishamOS</span>
          {me && (
            <span className="brand-tenant" title="Tenant">
              {me.tenant.name}
            </span>
          )}
        </div>
        <button
          type="button"
          className="btn btn-ghost btn-icon nav-toggle"
          aria-expanded={menuOpen}
          aria-controls="primary-nav"
          aria-label="Menu"
          onClick={() => setMenuOpen((o) => !o)}
        >
          <span aria-hidden="true">☰</span>
        </button>
        <nav
          id="primary-nav"
          className={`primary-nav${menuOpen ? ' open' : ''}`}
          aria-label="Primary"
        >
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <Link
                  to={item.to}
                  nav
                  onClick={() => setMenuOpen(false)}
                  {...(item.to === '/runs' && inBatches ? { 'aria-current': 'page' } : {})}
                >
                  {item.label}
                  {item.to === '/approvals' && waiting && waiting.count > 0 && (
                    <span className="nav-count" data-testid="approvals-count">
                      {waiting.count}
                      {waiting.more ? '+' : ''}
                      <span className="sr-only"> waiting</span>
                    </span>
                  )}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-end">
          <ThemeToggle />
          {me && (
            <span
              className="whoami"
              data-testid="whoami"
              data-role={role ?? undefined}
              title={me.user?.email ?? 'API key'}
            >
              <span className="whoami-email">{me.user?.email ?? 'API key'}</span>
              <span className="role-pill">{role}</span>
            </span>
          )}
          <button
            type="button"
            className="btn btn-secondary btn-sm"
            onClick={() => void signOut()}
            data-testid="sign-out"
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="main">
        {children}
      </main>
    </div>
  );
}
