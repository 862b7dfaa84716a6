import { useState, type FormEvent } from 'react';
import type { MfaEnrolment } from '../../api/types';
import { useAsync } from '../../hooks/useAsync';
import { useGuard } from '../../hooks/useGuard';
import { useApi } from '../../session/ApiContext';
import { ErrorBanner } from '../ErrorBanner';
import { Loading } from '../Loading';
import { EnrolmentQr, RecoveryCodes } from '../MfaCodeStep';

/** The signed-in user's second factor: enrol with a QR code, confirm with a code, disable with one. */
export function SecurityPanel() {
  const api = useApi();
  const status = useAsync(() => api.mfa.status(), [api]);
  const [enrolment, setEnrolment] = useState<MfaEnrolment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const { error, guard } = useGuard(status.reload);

  const confirm = (e: FormEvent) => {
    e.preventDefault();
    void guard(async () => {
      const res = await api.mfa.confirm(code.trim());
      setRecoveryCodes(res.recoveryCodes);
      setEnrolment(null);
      setCode('');
    });
  };
  const disable = (e: FormEvent) => {
    e.preventDefault();
    void guard(async () => {
      await api.mfa.disable(code.trim());
      setRecoveryCodes(null);
      setCode('');
    });
  };

  return (
    <section aria-labelledby="security-title">
      <h2 id="security-title">Two-factor sign-in</h2>
      <ErrorBanner error={error ?? status.error} />
      {!status.data && !status.error && <Loading label="Loading" />}
      {recoveryCodes && (
        <div className="notice">
          <p>
            Two-factor sign-in is on. Keep these recovery codes: each works once, and they are shown
            only now.
          </p>
          <RecoveryCodes codes={recoveryCodes} />
        </div>
      )}
      {status.data && !status.data.enabled && !enrolment && (
        <>
          <p className="hint">Protect your account with an authenticator app (TOTP).</p>
          <button
            type="button"
            className="btn btn-primary btn-sm"
            onClick={() => void guard(async () => setEnrolment(await api.mfa.enrol()))}
            data-testid="mfa-enrol"
          >
            Set up
          </button>
        </>
      )}
      {enrolment && (
        <form onSubmit={confirm} aria-label="Confirm two-factor sign-in">
          <p className="hint">
            Scan the code with your authenticator app, then enter the code it shows.
          </p>
          <EnrolmentQr enrolment={enrolment} />
          <CodeField code={code} setCode={setCode} />
          <button
            type="submit"
            className="btn btn-primary btn-sm"
            disabled={!code.trim()}
            data-testid="mfa-confirm"
          >
            Turn on
          </button>
        </form>
      )}
      {status.data?.enabled && (
        <form onSubmit={disable} aria-label="Turn off two-factor sign-in">
          <p data-testid="mfa-status">
            On since{' '}
            {status.data.enabledAt ? new Date(status.data.enabledAt).toLocaleString() : '—'};{' '}
            {status.data.recoveryCodesLeft} recovery codes left.
          </p>
          <CodeField code={code} setCode={setCode} />
          <button
            type="submit"
            className="btn btn-danger-ghost btn-sm"
            disabled={!code.trim()}
            data-testid="mfa-disable"
          >
            Turn off
          </button>
        </form>
      )}
    </section>
  );
}

function CodeField({ code, setCode }: { code: string; setCode: (v: string) => void }) {
  return (
    <div className="field field-inline">
      <label htmlFor="mfa-settings-code">Code</label>
      <input
        id="mfa-settings-code"
        inputMode="numeric"
        autoComplete="one-time-code"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        data-testid="mfa-settings-code"
      />
    </div>
  );
}
