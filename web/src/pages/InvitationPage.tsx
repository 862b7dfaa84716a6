import { useState, type FormEvent } from 'react';
import { describeError } from '../api/errors';
import type { MfaChallenge } from '../api/types';
import { MfaCodeStep } from '../components/MfaCodeStep';
import { useAsync } from '../hooks/useAsync';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useApi } from '../session/ApiContext';
import { useSession } from '../session/SessionContext';

/**
 * Accepting an invitation: signed in, with the invited account (one click); signed out, by choosing
 * a password for a new account. The server refuses a mismatched account or an existing email.
 */
export function InvitationPage({ token }: { token: string }) {
  useDocumentTitle('Invitation');
  const api = useApi();
  const { state, me, finishSignIn } = useSession();
  const preview = useAsync(() => api.invitations.lookup(token), [api, token]);
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<MfaChallenge | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const signedIn = state === 'signedIn';

  const accept = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const needs = await api.invitations.accept(token, signedIn ? undefined : password);
      if (needs) setChallenge(needs);
      else await finishSignIn('/runs');
    } catch (err) {
      setError(describeError(err));
    }
    setBusy(false);
  };

  if (challenge)
    return (
      <main id="main" className="signin">
        <MfaCodeStep challenge={challenge} next="/runs" onRestart={() => setChallenge(null)} />
      </main>
    );

  return (
    <main id="main" className="signin">
      <form
        className="card signin-card"
        onSubmit={accept}
        aria-labelledby="invite-title"
        noValidate
      >
        <h1 id="invite-title">Invitation</h1>
        {preview.error ? (
          <div className="alert alert-danger" role="alert">
            {describeError(preview.error)}
          </div>
        ) : null}
        {preview.data && (
          <>
            <p data-testid="invitation-summary">
              Join <strong>{preview.data.tenant.name}</strong> as {preview.data.role} (
              {preview.data.email}).
            </p>
            {signedIn ? (
              <p className="hint">You are signed in as {me?.user?.email}.</p>
            ) : (
              <div className="field">
                <label htmlFor="invite-password">Choose a password (10+ characters)</label>
                <input
                  id="invite-password"
                  type="password"
                  autoComplete="new-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  data-testid="invitation-password"
                />
                <p className="hint">
                  Already have an account?{' '}
                  <a
                    href={`#/sign-in?next=${encodeURIComponent(`/invitations/accept?token=${token}`)}`}
                  >
                    Sign in
                  </a>{' '}
                  first.
                </p>
              </div>
            )}
            {error && (
              <div className="alert alert-danger" role="alert">
                {error}
              </div>
            )}
            <button
              type="submit"
              className="btn btn-primary btn-block"
              disabled={busy || (!signedIn && password.length < 10)}
              data-testid="invitation-accept"
            >
              Accept
            </button>
          </>
        )}
      </form>
    </main>
  );
}
