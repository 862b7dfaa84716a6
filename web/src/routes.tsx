/** The one route table of the console (hash routes). */
import { lazy, Suspense, type ReactElement } from 'react';
import { Loading } from './components/Loading';
import { AgentEditPage } from './pages/AgentEditPage';
import { AgentsPage } from './pages/AgentsPage';
import { ApprovalsPage } from './pages/ApprovalsPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { RunsPage } from './pages/RunsPage';
import { SettingsPage } from './pages/SettingsPage';
import { WorkflowsPage } from './pages/WorkflowsPage';
import { matchPath } from './router/hash';

// The heavy screens load on demand: React Flow (run page, editor), recharts (usage), markdown.
const RunPage = lazy(() => import('./pages/RunPage').then((m) => ({ default: m.RunPage })));
const WorkflowEditorPage = lazy(() =>
  import('./pages/WorkflowEditorPage').then((m) => ({ default: m.WorkflowEditorPage })),
);
const UsagePage = lazy(() => import('./pages/UsagePage').then((m) => ({ default: m.UsagePage })));
const KnowledgePage = lazy(() =>
  import('./pages/KnowledgePage').then((m) => ({ default: m.KnowledgePage })),
);
const TriggersPage = lazy(() =>
  import('./pages/TriggersPage').then((m) => ({ default: m.TriggersPage })),
);

const BatchesPage = lazy(() =>
  import('./pages/BatchesPage').then((m) => ({ default: m.BatchesPage })),
);
const BatchPage = lazy(() => import('./pages/BatchPage').then((m) => ({ default: m.BatchPage })));

const SchedulesPage = lazy(() =>
  import('./pages/SchedulesPage').then((m) => ({ default: m.SchedulesPage })),
);

type Render = (params: Record<string, string>) => ReactElement;

export const ROUTES: ReadonlyArray<[pattern: string, render: Render]> = [
  ['/runs', () => <RunsPage />],
  ['/runs/:id', (p) => <RunPage key={p.id} runId={p.id} />],
  ['/batches', () => <BatchesPage />],
  ['/batches/:id', (p) => <BatchPage key={p.id} batchId={p.id} />],
  ['/approvals', () => <ApprovalsPage />],
  ['/agents', () => <AgentsPage />],
  ['/agents/new', () => <AgentEditPage key="new" />],
  ['/agents/:id', (p) => <AgentEditPage key={p.id} agentId={p.id} />],
  ['/workflows', () => <WorkflowsPage />],
  ['/workflows/new', () => <WorkflowEditorPage key="new" />],
  ['/workflows/:id', (p) => <WorkflowEditorPage key={p.id} workflowId={p.id} />],
  ['/usage', () => <UsagePage />],
  ['/knowledge', () => <KnowledgePage />],
  ['/knowledge/:id', (p) => <KnowledgePage kbId={p.id} />],
  ['/triggers', () => <TriggersPage />],
  ['/schedules', () => <SchedulesPage />],
  ['/settings', () => <SettingsPage />],
  ['/settings/:tab', (p) => <SettingsPage tab={p.tab} />],
];

export function renderRoute(path: string): ReactElement {
  for (const [pattern, render] of ROUTES) {
    const m = matchPath(pattern, path);
    if (m) return <Suspense fallback={<Loading />}>{render(m.params)}</Suspense>;
  }
  return <NotFoundPage />;
}
