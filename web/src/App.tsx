import { useEffect } from 'react';
import type { Api } from './api/endpoints';
import { Layout } from './components/Layout';
import { Loading } from './components/Loading';
import { InvitationPage } from './pages/InvitationPage';
import { SignInPage } from './pages/SignInPage';
import { renderRoute } from './routes';
import { navigate, safeNext, signInPath } from './router/hash';
import { useLocation } from './router/useLocation';
import { ApiProvider } from './session/ApiContext';
import { SessionProvider, useSession } from './session/SessionContext';

const INVITATION = '/invitations/accept';

export function App({ api }: { api: Api }) {
  return (
    <ApiProvider api={api}>
      <SessionProvider>
        <Shell />
      </SessionProvider>
    </ApiProvider>
  );
}

function Shell() {
  const { state } = useSession();
  const location = useLocation();

  useEffect(() => {
    if (location.path === '/')
      navigate(serverNotFound() ? '/not-found' : '/runs', { replace: true });
    else if (state === 'signedIn' && location.path === '/sign-in')
      navigate(safeNext(location.query.get('next')), { replace: true });
    else if (state === 'signedOut' && location.path !== '/sign-in' && location.path !== INVITATION)
      navigate(signInPath(location.href), { replace: true });
  }, [state, location.path, location.href, location.query]);

  if (state === 'loading') {
    return (
      <main id="main" className="boot">
        <Loading label="Starting" />
      </main>
    );
  }
  // An invitation is opened signed out (a new account) as often as signed in (an existing one).
  if (location.path === INVITATION)
    return <InvitationPage token={location.query.get('token') ?? ''} />;
  if (location.path === '/sign-in' || state === 'signedOut') return <SignInPage />;
  return <Layout>{renderRoute(location.path)}</Layout>;
}

/**
 * The server answered this address with 404 (a path the console does not have): it marks the page
 * so the console shows its not-found page instead of the default one.
 */
function serverNotFound(): boolean {
  return document.querySelector('meta[name="hishamos-status"][content="404"]') !== null;
}
