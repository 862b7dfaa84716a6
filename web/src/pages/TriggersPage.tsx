import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/errors';
import type { TriggerCreate, TriggerCreated } from '../api/types';
import { EnableDeleteButtons } from '../components/EnableDeleteButtons';
import { CopyButton } from '../components/CopyButton';
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

const lines = (s: string) =>
  s
    .split(/[\n,]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** Webhook triggers (GitHub, Jira): rules, the webhook URL, the secret once, recent deliveries. */
export function TriggersPage() {
  const api = useApi();
  const { can } = useSession();
  const list = useAsync(() => api.triggers.list(), [api]);
  const workflows = useAsync(() => api.workflows.list(), [api]);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<TriggerCreated | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  if (list.error instanceof ApiError && list.error.unavailable) {
    return (
      <>
        <PageHeader title="Triggers" />
        <Unavailable feature="Triggers" />
      </>
    );
  }
  const wfName = (id: string) => workflows.data?.items.find((w) => w.id === id)?.name ?? id;
  return (
    <>
      <PageHeader
        title="Triggers"
        subtitle="Start workflows from GitHub and Jira webhooks."
        actions={
          can('admin') ? (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              New trigger
            </button>
          ) : undefined
        }
      />
      <ErrorBanner error={error ?? list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && list.data.items.length === 0 && <EmptyState title="No triggers yet" />}
      <ul className="card-grid">
        {list.data?.items.map((t) => (
          <li key={t.id} className="card">
            <h2 className="card-title">{t.name}</h2>
            <p className="small">
              <span className="role-pill">{t.source}</span> →{' '}
              <Link to={`/workflows/${t.workflowId}`}>{wfName(t.workflowId)}</Link> ·{' '}
              {t.enabled ? 'enabled' : 'disabled'}
            </p>
            <p className="small muted">on {t.rules.events.join(', ')}</p>
            <div className="secret-box">
              <code className="small">{t.webhookUrl}</code>
              <CopyButton text={t.webhookUrl} label="Copy URL" />
            </div>
            <p className="small muted">
              Secret <span className="mono">…{t.secretHint.replace(/^…/, '')}</span>
              {t.credentials ? (
                <>
                  {' '}
                  · {t.credentials.type} credentials{' '}
                  <span className="mono">{t.credentials.hint}</span>
                </>
              ) : null}
            </p>
            <div className="row">
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                aria-expanded={open === t.id}
                onClick={() => setOpen(open === t.id ? null : t.id)}
              >
                Deliveries
              </button>
              {can('admin') && (
                <EnableDeleteButtons
                  enabled={t.enabled}
                  onToggle={() =>
                    api.triggers
                      .update(t.id, { enabled: !t.enabled })
                      .then(() => list.reload(), setError)
                  }
                  onDelete={() => api.triggers.remove(t.id).then(() => list.reload(), setError)}
                />
              )}
            </div>
            {open === t.id && <Deliveries triggerId={t.id} />}
          </li>
        ))}
      </ul>
      {creating && (
        <NewTriggerDialog
          workflows={workflows.data?.items.map((w) => ({ id: w.id, name: w.name })) ?? []}
          onClose={() => setCreating(false)}
          onCreate={async (body) => {
            const t = await api.triggers.create(body);
            setCreating(false);
            setCreated(t);
            await list.reload();
          }}
        />
      )}
      {created?.secret && (
        <Dialog title="Webhook secret" onClose={() => setCreated(null)}>
          <p>
            Configure this secret in {created.source === 'github' ? 'GitHub' : 'Jira'}. It is shown
            only now.
          </p>
          <div className="secret-box">
            <code>{created.secret}</code>
            <CopyButton text={created.secret} />
          </div>
        </Dialog>
      )}
    </>
  );
}

function Deliveries({ triggerId }: { triggerId: string }) {
  const api = useApi();
  const d = useAsync(() => api.triggers.deliveries(triggerId), [api, triggerId]);
  if (!d.data) return d.error ? <ErrorBanner error={d.error} /> : <Loading />;
  if (d.data.items.length === 0) return <p className="muted small">No deliveries yet.</p>;
  return (
    <ul className="small deliveries">
      {d.data.items.map((x) => (
        <li key={x.id}>
          {formatDateTime(x.receivedAt)} · {x.event ?? ''} · {x.outcome}
          {x.reason ? ` (${x.reason})` : ''} {x.runId && <Link to={`/runs/${x.runId}`}>run</Link>}
        </li>
      ))}
    </ul>
  );
}

function NewTriggerDialog({
  workflows,
  onClose,
  onCreate,
}: {
  workflows: { id: string; name: string }[];
  onClose: () => void;
  onCreate: (body: TriggerCreate) => Promise<void>;
}) {
  const [name, setName] = useState('');
  const [source, setSource] = useState<'github' | 'jira'>('github');
  const [workflowId, setWorkflowId] = useState(workflows[0]?.id ?? '');
  const [events, setEvents] = useState('pull_request.opened');
  const [repos, setRepos] = useState('');
  const [mapping, setMapping] = useState('{\n  "title": "$.pull_request.title"\n}');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const inputMapping = JSON.parse(mapping || '{}') as Record<string, string>;
      await onCreate({
        name: name.trim(),
        source,
        workflowId,
        enabled: true,
        inputMapping,
        rules: {
          events: lines(events),
          ...(repos.trim()
            ? source === 'github'
              ? { repositories: lines(repos) }
              : { projects: lines(repos) }
            : {}),
        },
      });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Dialog
      title="New trigger"
      onClose={onClose}
      wide
      footer={
        <button type="submit" form="trigger-form" className="btn btn-primary">
          Create trigger
        </button>
      }
    >
      <form id="trigger-form" onSubmit={submit}>
        <Field label="Name">
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <div className="grid-2">
          <Field label="Source">
            <select value={source} onChange={(e) => setSource(e.target.value as 'github' | 'jira')}>
              <option value="github">GitHub</option>
              <option value="jira">Jira</option>
            </select>
          </Field>
          <Field label="Workflow">
            <select value={workflowId} onChange={(e) => setWorkflowId(e.target.value)} required>
              {workflows.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <Field label="Events" hint="One per line, e.g. pull_request.opened or jira:issue_created">
          <textarea rows={2} value={events} onChange={(e) => setEvents(e.target.value)} />
        </Field>
        <Field
          label={source === 'github' ? 'Repositories (optional)' : 'Projects (optional)'}
          hint="One per line; empty matches all."
        >
          <textarea rows={2} value={repos} onChange={(e) => setRepos(e.target.value)} />
        </Field>
        <Field
          label="Input mapping (JSON)"
          hint="Workflow input name → JSONPath into the webhook payload."
        >
          <textarea
            rows={4}
            className="mono"
            value={mapping}
            onChange={(e) => setMapping(e.target.value)}
          />
        </Field>
        <ErrorBanner error={error} />
      </form>
    </Dialog>
  );
}
