import { useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../api/errors';
import type { MfaChallenge } from '../api/types';
import { MfaCodeStep } from '../components/MfaCodeStep';
import { ThemeToggle } from '../components/ThemeToggle';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useLocation } from '../router/useLocation';
import { useSession } from '../session/SessionContext';

export function SignInPage() {
  useDocumentTitle('Sign in');
  const { signIn } = useSession();
  const [challenge, setChallenge] = useState<MfaChallenge | null>(null);
  const { query } = useLocation();
  const next = query.get('next');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const needs = await signIn(email.trim(), password, next);
      if (needs) {
        setChallenge(needs);
        setBusy(false);
      }
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? 'Email or password is not right.'
          : describeError(err),
      );
      setBusy(false);
    }
  };

  if (challenge)
    return (
      <main id="main" className="signin">
        <MfaCodeStep challenge={challenge} next={next} onRestart={() => setChallenge(null)} />
      </main>
    );

  return (
    <main id="main" className="signin">
      <div className="signin-theme">
        <ThemeToggle />
      </div>
      <form
        className="card signin-card"
        onSubmit={submit}
        aria-labelledby="signin-title"
        noValidate
      >
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            H
          </span>
          <span className="brand-name">HishamOS</span>
        </div>
        <h1 id="signin-title">Sign in</h1>
        {next && <p className="hint">Sign in to continue where you left off.</p>}
        <div className="field">
          <label htmlFor="signin-email">Email</label>
          <input
            id="signin-email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="signin-password">Password</label>
          <input
            id="signin-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error && (
          <div className="alert alert-danger" role="alert">
            {error}
          </div>
        )}
        <button
          type="submit"
          className="btn btn-primary btn-block"
          disabled={busy || !email || !password}
          data-testid="sign-in-submit"
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
