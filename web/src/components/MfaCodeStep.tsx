import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../api/errors';
import type { MfaChallenge, MfaEnrolment } from '../api/types';
import { useApi } from '../session/ApiContext';
import { useSession } from '../session/SessionContext';

/**
 * Sign-in, step two: a code from the authenticator (or a recovery code). When the tenant requires
 * MFA and the user has none, the QR code to enrol comes first, and the recovery codes after.
 */
export function MfaCodeStep({
  challenge,
  next,
  onRestart,
}: {
  challenge: MfaChallenge;
  next: string | null;
  onRestart: () => void;
}) {
  const api = useApi();
  const { finishSignIn } = useSession();
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [enrolment, setEnrolment] = useState<MfaEnrolment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!challenge.enrolment) return;
    api.auth
      .enrolDuringSignIn(challenge.mfaToken)
      .then(setEnrolment)
      .catch((e) => setError(describeError(e)));
  }, [api, challenge]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const factor = useRecovery ? { recoveryCode: code.trim() } : { code: code.trim() };
      const res = await api.auth.verifyMfa(challenge.mfaToken, factor);
      if (res.recoveryCodes) setRecoveryCodes(res.recoveryCodes);
      else await finishSignIn(next);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? 'That code is not right (or was already used). Try the next one.'
          : describeError(err),
      );
    }
    setBusy(false);
  };

  if (recoveryCodes)
    return (
      <div className="card signin-card">
        <h1>Recovery codes</h1>
        <p className="hint">
          Each works once if you lose your authenticator. They are shown only now: keep them safe.
        </p>
        <RecoveryCodes codes={recoveryCodes} />
        <button
          type="button"
          className="btn btn-primary btn-block"
          onClick={() => void finishSignIn(next)}
          data-testid="mfa-continue"
        >
          Continue
        </button>
      </div>
    );

  return (
    <form className="card signin-card" onSubmit={submit} aria-labelledby="mfa-title" noValidate>
      <h1 id="mfa-title">
        {challenge.enrolment ? 'Set up two-factor sign-in' : 'Two-factor sign-in'}
      </h1>
      {challenge.enrolment && (
        <>
          <p className="hint">
            {challenge.tenant.name} requires a second factor. Scan this code with an authenticator
            app, then enter the code it shows.
          </p>
          {enrolment && <EnrolmentQr enrolment={enrolment} />}
        </>
      )}
      <div className="field">
        <label htmlFor="mfa-code">{useRecovery ? 'Recovery code' : 'Authenticator code'}</label>
        <input
          id="mfa-code"
          inputMode={useRecovery ? 'text' : 'numeric'}
          autoComplete="one-time-code"
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
          // biome-ignore lint/a11y/noAutofocus: the second step of a sign-in the user just submitted; focus follows them to its one field
          autoFocus
          data-testid="mfa-code"
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
        disabled={busy || !code.trim()}
        data-testid="mfa-submit"
      >
        {busy ? 'Checking…' : 'Verify'}
      </button>
      {!challenge.enrolment && (
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => setUseRecovery(!useRecovery)}
        >
          {useRecovery ? 'Use the authenticator code' : 'Use a recovery code'}
        </button>
      )}
      <button type="button" className="btn btn-ghost btn-sm" onClick={onRestart}>
        Start over
      </button>
    </form>
  );
}

export function EnrolmentQr({ enrolment }: { enrolment: MfaEnrolment }) {
  return (
    <figure className="mfa-qr">
      <img
        src={enrolment.qrCode}
        alt="QR code for your authenticator app"
        width={180}
        height={180}
        data-testid="mfa-qr"
      />
      <figcaption>
        Or enter this key: <code data-testid="mfa-secret">{enrolment.secret}</code>
      </figcaption>
    </figure>
  );
}

export function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <ul className="recovery-codes" data-testid="mfa-recovery-codes">
      {codes.map((c) => (
        <li key={c}>
          <code>{c}</code>
        </li>
      ))}
    </ul>
  );
}
