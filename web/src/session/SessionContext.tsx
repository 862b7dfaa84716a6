/**
 * Who is signed in. Boots from the stored refresh token (the access token lives in memory, so a
 * reload refreshes first), and sends the user to sign-in, remembering the page, when the
 * session ends.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import type { Me, MfaChallenge, Role } from '../api/types';
import { currentLocation, navigate, safeNext, signInPath } from '../router/hash';
import { useApi } from './ApiContext';
import { atLeast } from './roles';

export type SessionState = 'loading' | 'signedIn' | 'signedOut';

interface Session {
  state: SessionState;
  me: Me | null;
  role: Role | null;
  /** Role check against owner > admin > dev > viewer. */
  can: (min: Role) => boolean;
  /** Signs in, or returns the second-factor challenge to answer with `finishSignIn` after a code. */
  signIn: (email: string, password: string, next?: string | null) => Promise<MfaChallenge | null>;
  /** Loads who is signed in once tokens are held (after MFA or accepting an invitation). */
  finishSignIn: (next?: string | null) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [me, setMe] = useState<Me | null>(null);
  const [state, setState] = useState<SessionState>(api.client.hasSession ? 'loading' : 'signedOut');

  useEffect(() => {
    api.client.onSessionExpired = () => {
      setMe(null);
      setState('signedOut');
      const here = currentLocation();
      if (here.path !== '/sign-in') navigate(signInPath(here.href), { replace: true });
    };
    return () => {
      api.client.onSessionExpired = undefined;
    };
  }, [api]);

  useEffect(() => {
    if (!api.client.hasSession) return;
    let live = true;
    api.auth
      .me()
      .then((m) => {
        if (!live) return;
        setMe(m);
        setState('signedIn');
      })
      .catch(() => {
        if (live) setState('signedOut');
      });
    return () => {
      live = false;
    };
  }, [api]);

  const finishSignIn = useCallback(
    async (next?: string | null) => {
      const m = await api.auth.me();
      setMe(m);
      setState('signedIn');
      navigate(safeNext(next), { replace: true });
    },
    [api],
  );

  const signIn = useCallback(
    async (email: string, password: string, next?: string | null) => {
      const challenge = await api.auth.login(email, password);
      if (challenge) return challenge;
      await finishSignIn(next);
      return null;
    },
    [api, finishSignIn],
  );

  const signOut = useCallback(async () => {
    await api.auth.logout();
    setMe(null);
    setState('signedOut');
    navigate('/sign-in', { replace: true });
  }, [api]);

  const value = useMemo<Session>(
    () => ({
      state,
      me,
      role: me?.role ?? null,
      can: (min: Role) => atLeast(me?.role, min),
      signIn,
      finishSignIn,
      signOut,
    }),
    [state, me, signIn, finishSignIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** For tests and stories: a fixed session. */
export function StaticSession({
  value,
  children,
}: {
  value: Partial<Session> & { role?: Role | null };
  children: ReactNode;
}) {
  const role = value.role ?? value.me?.role ?? null;
  const session: Session = {
    state: 'signedIn',
    me: null,
    signIn: async () => null,
    finishSignIn: async () => undefined,
    signOut: async () => undefined,
    ...value,
    role,
    can: (min: Role) => atLeast(role, min),
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
