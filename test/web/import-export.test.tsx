/** @jest-environment jsdom */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Agent, ImportReport, Workflow } from '../../web/src/api/types';
import { contentTypeOf } from '../../web/src/components/files/ImportExport';
import { AgentsPage } from '../../web/src/pages/AgentsPage';
import { WorkflowsPage } from '../../web/src/pages/WorkflowsPage';
import { apiWith, error, renderWithApi, tokens, type Call } from './support';

const WF_ID = '11111111-1111-4111-8111-111111111111';
const AGENT_ID = '22222222-2222-4222-8222-222222222222';

const workflow: Workflow = {
  id: WF_ID,
  slug: 'feature-pipeline',
  name: 'Feature pipeline',
  description: 'Spec, build, review',
  inputs: [],
  nodes: [{ id: 'spec', type: 'agent', agent: 'pm', prompt: 'Spec it' }],
  edges: [],
  version: 3,
  publishedVersion: 3,
  createdAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-02T10:00:00Z',
};
const agent: Agent = {
  id: AGENT_ID,
  slug: 'pm',
  name: 'Product manager',
  role: 'writes specs',
  systemPrompt: 'You write specs.',
  model: 'simulator:echo',
  fallbacks: [],
  parameters: {},
  version: 2,
  publishedVersion: 2,
  createdAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-02T10:00:00Z',
};
const BUNDLE_YAML = 'slug: feature-pipeline\nname: Feature pipeline\nagents:\n  - slug: pm\n';

/** The file handed to `URL.createObjectURL` and the name the download link gave it. */
function captureDownloads() {
  const saved: { blob: Blob; filename: string }[] = [];
  let lastBlob: Blob | undefined;
  Object.assign(URL, {
    createObjectURL: (blob: Blob) => {
      lastBlob = blob;
      return 'blob:console.test/1';
    },
    revokeObjectURL: () => undefined,
  });
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    if (lastBlob) saved.push({ blob: lastBlob, filename: this.download });
  };
  return saved;
}

/** The import's answer; a dry run (`?dryRun=true`) says so. */
const imported = (
  call: Call,
  items: ImportReport['items'],
): { status: number; body: ImportReport } => ({
  status: 200,
  body: { items, dryRun: call.query.get('dryRun') === 'true' },
});

function fileOf(text: string, name: string, type = ''): File {
  const file = new File([text], name, { type });
  // jsdom's File lacks text(); the browser's reads the same bytes.
  Object.defineProperty(file, 'text', { value: async () => text });
  return file;
}

/** jsdom's Blob has no text(); FileReader reads it. */
function textOf(blob: Blob): Promise<string> {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.readAsText(blob);
  });
}

const realClick = HTMLAnchorElement.prototype.click;
afterEach(() => {
  HTMLAnchorElement.prototype.click = realClick;
});

describe('workflows page', () => {
  it('Export downloads the workflow and its agents as the YAML the API renders', async () => {
    // Prepare
    const saved = captureDownloads();
    const { api, calls } = apiWith((c) =>
      c.path === '/v1/auth/refresh'
        ? { status: 200, body: tokens(1) }
        : c.path === '/v1/workflows'
          ? { status: 200, body: { items: [workflow] } }
          : { status: 200, text: BUNDLE_YAML },
    );
    renderWithApi(<WorkflowsPage />, api, 'viewer');

    // Act
    fireEvent.click(
      await screen.findByRole('button', { name: 'Export workflow Feature pipeline' }),
    );

    // Assess
    await waitFor(() => expect(saved).toHaveLength(1));
    const call = calls.find((c) => c.path.endsWith('/export')) as Call;
    expect(call.path).toBe('/v1/workflows/feature-pipeline/export');
    expect(Object.fromEntries(call.query)).toEqual({ format: 'yaml', include: 'agents' });
    expect(saved[0].filename).toBe('feature-pipeline.workflow.yaml');
    expect(await textOf(saved[0].blob)).toBe(BUNDLE_YAML);
    expect(screen.queryByTestId('import-file')).toBeNull();
  });

  it('Import previews the picked YAML (a dry run), then Apply sends it and reloads the list', async () => {
    // Prepare
    const { api, calls } = apiWith((c) => {
      if (c.path === '/v1/auth/refresh') return { status: 200, body: tokens(1) };
      if (c.path === '/v1/workflows') return { status: 200, body: { items: [workflow] } };
      return imported(c, [
        { kind: 'agent', id: AGENT_ID, slug: 'pm', outcome: 'unchanged', version: 2, changed: [] },
        {
          kind: 'workflow',
          id: WF_ID,
          slug: 'feature-pipeline',
          outcome: 'updated',
          version: 4,
          changed: ['description', 'nodes'],
        },
      ]);
    });
    renderWithApi(<WorkflowsPage />, api, 'dev');
    await screen.findByText('Feature pipeline');

    // Act
    fireEvent.change(screen.getByTestId('import-file-input'), {
      target: { files: [fileOf(BUNDLE_YAML, 'feature-pipeline.workflow.yaml')] },
    });

    const dialog = await screen.findByRole('dialog', {
      name: 'Import feature-pipeline.workflow.yaml',
    });
    const preview = await within(dialog).findAllByTestId('import-row');
    const previewText = preview.map((r) => r.textContent);
    const listedBeforeApply = calls.filter((c) => c.path === '/v1/workflows').length;
    fireEvent.click(within(dialog).getByTestId('import-apply'));

    // Assess
    await within(dialog).findByText('Imported.');
    expect(previewText).toEqual([
      'agentpmunchanged (v2)—',
      'workflowfeature-pipelinenew version (v4)description, nodes',
    ]);
    expect(listedBeforeApply).toBe(1);
    const posts = calls.filter((c) => c.method === 'POST' && c.path.endsWith('/import'));
    expect(posts.map((p) => [p.path, p.query.get('dryRun')])).toEqual([
      ['/v1/workflows/import', 'true'],
      ['/v1/workflows/import', null],
    ]);
    expect(posts.map((p) => [p.contentType, p.body])).toEqual([
      ['application/yaml', BUNDLE_YAML],
      ['application/yaml', BUNDLE_YAML],
    ]);
    await waitFor(() =>
      expect(calls.filter((c) => c.method === 'GET' && c.path === '/v1/workflows')).toHaveLength(2),
    );
  });

  it('a refused file shows the field the API named, and nothing is reloaded', async () => {
    // Prepare
    const { api, calls } = apiWith((c) => {
      if (c.path === '/v1/auth/refresh') return { status: 200, body: tokens(1) };
      if (c.path === '/v1/workflows') return { status: 200, body: { items: [workflow] } };
      return error(400, 'ValidationError', 'workflow is invalid', [
        { path: 'nodes[0].agent', message: 'unknown agent "ghost"' },
      ]);
    });
    renderWithApi(<WorkflowsPage />, api, 'dev');
    await screen.findByText('Feature pipeline');

    // Act
    fireEvent.change(screen.getByTestId('import-file-input'), {
      target: { files: [fileOf('slug: x', 'broken.yaml')] },
    });

    // Assess
    const alert = await within(await screen.findByRole('dialog')).findByRole('alert');
    expect(alert.textContent).toContain('The workflow file was not imported');
    expect(alert.textContent).toContain('ghost');
    expect(calls.filter((c) => c.method === 'GET' && c.path === '/v1/workflows')).toHaveLength(1);
  });
});

describe('agents page', () => {
  it('exports an agent and imports a JSON file as JSON', async () => {
    // Prepare
    const saved = captureDownloads();
    const json = JSON.stringify({ slug: 'pm', name: 'Product manager', model: 'simulator:echo' });
    const { api, calls } = apiWith((c) => {
      if (c.path === '/v1/auth/refresh') return { status: 200, body: tokens(1) };
      if (c.path === '/v1/agents') return { status: 200, body: { items: [agent] } };
      if (c.path.endsWith('/export')) return { status: 200, text: 'slug: pm\n' };
      return imported(c, [
        { kind: 'agent', id: AGENT_ID, slug: 'pm', outcome: 'created', version: 1, changed: [] },
      ]);
    });
    renderWithApi(<AgentsPage />, api, 'dev');

    // Act
    fireEvent.click(await screen.findByRole('button', { name: 'Export agent Product manager' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    fireEvent.change(screen.getByTestId('import-file-input'), {
      target: { files: [fileOf(json, 'pm.agent.json', 'application/json')] },
    });

    const preview = (await screen.findByTestId('import-row')).textContent;
    fireEvent.click(screen.getByTestId('import-apply'));

    // Assess
    await screen.findByText('Imported.');
    expect(saved[0].filename).toBe('pm.agent.yaml');
    expect(calls.find((c) => c.path.endsWith('/export'))?.path).toBe('/v1/agents/pm/export');
    expect(preview).toBe('agentpmto create (v1)—');
    expect(screen.getByTestId('import-row').textContent).toBe('agentpmcreated (v1)—');
    const post = calls.findLast((c) => c.path === '/v1/agents/import') as Call;
    expect(post.query.get('dryRun')).toBeNull();
    expect(post.contentType).toBe('application/json');
    expect(post.body).toEqual(JSON.parse(json));
  });

  it('takes a file for YAML unless its name or type says JSON', () => {
    expect(contentTypeOf({ name: 'a.yml', type: '' })).toBe('application/yaml');
    expect(contentTypeOf({ name: 'a.JSON', type: '' })).toBe('application/json');
    expect(contentTypeOf({ name: 'a', type: 'application/json' })).toBe('application/json');
  });
});
