import { useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../api/errors';
import type { ScheduleCreate } from '../api/types';
import { EnableDeleteButtons } from '../components/EnableDeleteButtons';
import { Dialog } from '../components/Dialog';
import { EmptyState, Unavailable } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { Field } from '../components/Field';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime } from '../format';
import { useAsync } from '../hooks/useAsync';
import { Link } from '../router/Link';
import { useApi } from '../session/ApiContext';
import { useSession } from '../session/SessionContext';
import { CronError, isTimeZone, nextFirings, parseCron } from '../../../shared/schedules/cron';

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** The next firings as the server will compute them (same code), or why there are none. */
export function previewFirings(
  cron: string,
  timezone: string,
  now: Date,
  count = 5,
): { firings: Date[]; cronError?: string; zoneError?: string } {
  const zoneError = isTimeZone(timezone) ? undefined : 'not an IANA time zone (e.g. Europe/Berlin)';
  try {
    const spec = parseCron(cron);
    if (zoneError) return { firings: [], zoneError };
    const firings = nextFirings(spec, timezone, now, count);
    return firings.length ? { firings } : { firings, cronError: 'never fires (no such day)' };
  } catch (e) {
    if (!(e instanceof CronError)) throw e;
    return { firings: [], cronError: e.message, zoneError };
  }
}

/** Workflows on a timer: list, create (cron + zone, with the next firings), enable, delete. */
export function SchedulesPage() {
  const api = useApi();
  const { can } = useSession();
  const list = useAsync(() => api.schedules.list(), [api]);
  const workflows = useAsync(() => api.workflows.list(), [api]);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<unknown>(null);

  if (list.error instanceof ApiError && list.error.unavailable) {
    return (
      <>
        <PageHeader title="Schedules" />
        <Unavailable feature="Schedules" />
      </>
    );
  }
  return (
    <>
      <PageHeader
        title="Schedules"
        subtitle="Run workflows on a cron, in a time zone."
        actions={
          can('dev') ? (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              New schedule
            </button>
          ) : undefined
        }
      />
      <ErrorBanner error={error ?? list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && list.data.items.length === 0 && <EmptyState title="No schedules yet" />}
      <ul className="card-grid" data-testid="schedules">
        {list.data?.items.map((s) => (
          <li key={s.id} className="card" data-testid={`schedule-${s.id}`}>
            <h2 className="card-title">
              <Link to={`/workflows/${s.workflowId}`}>{s.workflowSlug}</Link>
              {s.version !== null && <span className="muted"> v{s.version}</span>}
            </h2>
            <p className="small">
              <code>{s.cron}</code> · {s.timezone} · {s.enabled ? 'enabled' : 'disabled'}
            </p>
            <p className="small muted">
              {s.nextFireAt ? `Next: ${formatDateTime(s.nextFireAt)}` : 'Not scheduled'}
              {s.lastRunId && (
                <>
                  {' '}
                  · <Link to={`/runs/${s.lastRunId}`}>last run</Link>
                </>
              )}
              {' · '}
              <Link to={`/runs?schedule=${s.id}`}>runs</Link>
            </p>
            {s.lastError && <p className="small field-error">Last firing: {s.lastError}</p>}
            {can('dev') && (
              <div className="row">
                <EnableDeleteButtons
                  enabled={s.enabled}
                  onToggle={() =>
                    api.schedules
                      .update(s.id, { enabled: !s.enabled })
                      .then(() => list.reload(), setError)
                  }
                  onDelete={() => api.schedules.remove(s.id).then(() => list.reload(), setError)}
                />
              </div>
            )}
          </li>
        ))}
      </ul>
      {creating && (
        <NewScheduleDialog
          workflows={workflows.data?.items.map((w) => ({ id: w.id, name: w.name })) ?? []}
          onClose={() => setCreating(false)}
          onCreate={async (body) => {
            await api.schedules.create(body);
            setCreating(false);
            await list.reload();
          }}
        />
      )}
    </>
  );
}

function NewScheduleDialog({
  workflows,
  onClose,
  onCreate,
}: {
  workflows: { id: string; name: string }[];
  onClose: () => void;
  onCreate: (body: ScheduleCreate) => Promise<void>;
}) {
  const [workflowId, setWorkflowId] = useState(workflows[0]?.id ?? '');
  const [cron, setCron] = useState('0 9 * * 1-5');
  const [timezone, setTimezone] = useState(browserZone);
  const [input, setInput] = useState('{}');
  const [error, setError] = useState<unknown>(null);
  const preview = useMemo(() => previewFirings(cron, timezone, new Date()), [cron, timezone]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await onCreate({
        workflowId,
        cron: cron.trim(),
        timezone: timezone.trim(),
        input: JSON.parse(input || '{}') as Record<string, unknown>,
        enabled: true,
      });
    } catch (err) {
      setError(err);
    }
  };
  const shown = new Intl.DateTimeFormat(undefined, {
    timeZone: preview.zoneError ? undefined : timezone,
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return (
    <Dialog
      title="New schedule"
      onClose={onClose}
      wide
      footer={
        <button type="submit" form="schedule-form" className="btn btn-primary">
          Create schedule
        </button>
      }
    >
      <form id="schedule-form" onSubmit={submit}>
        <Field label="Workflow">
          <select value={workflowId} onChange={(e) => setWorkflowId(e.target.value)} required>
            {workflows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </Field>
        <div className="grid-2">
          <Field
            label="Cron"
            hint="minute hour day-of-month month day-of-week"
            errors={preview.cronError ? [preview.cronError] : undefined}
          >
            <input className="mono" value={cron} onChange={(e) => setCron(e.target.value)} />
          </Field>
          <Field label="Time zone" errors={preview.zoneError ? [preview.zoneError] : undefined}>
            <input value={timezone} onChange={(e) => setTimezone(e.target.value)} />
          </Field>
        </div>
        <section aria-label="Next firings">
          <p className="small muted">Next firings ({timezone}):</p>
          <ol className="small" data-testid="next-firings">
            {preview.firings.map((d) => (
              <li key={d.toISOString()}>{shown.format(d)}</li>
            ))}
          </ol>
        </section>
        <Field label="Input (JSON)" hint="The run input of every firing.">
          <textarea
            rows={3}
            className="mono"
            value={input}
            onChange={(e) => setInput(e.target.value)}
          />
        </Field>
        <ErrorBanner error={error} />
      </form>
    </Dialog>
  );
}
