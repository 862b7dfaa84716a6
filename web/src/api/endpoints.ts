/**
 * The console's calls, one per route it uses, each typed by the OpenAPI document (ADR 141, 145):
 * test/unit/api/console-paths.test.ts fails on any other way of writing a `/v1/` path.
 */
import type { ApiClient } from './client';
import { type Query, typedCall, typedSendText, typedStream, typedText } from './typed';
import type * as T from './types';

export function createApi(c: ApiClient) {
  return {
    client: c,
    auth: {
      login: (email: string, password: string, tenant?: string) => c.login(email, password, tenant),
      logout: () => c.logout(),
      me: () => typedCall(c, 'get', '/v1/me', {}),
      verifyMfa: (mfaToken: string, factor: { code?: string; recoveryCode?: string }) =>
        c.verifyMfa(mfaToken, factor),
      enrolDuringSignIn: (mfaToken: string) =>
        typedCall(c, 'post', '/v1/auth/mfa/enrol', { body: { mfaToken }, anonymous: true }),
    },
    mfa: {
      status: () => typedCall(c, 'get', '/v1/me/mfa', {}),
      enrol: () => typedCall(c, 'post', '/v1/me/mfa/enrol', {}),
      confirm: (code: string) => typedCall(c, 'post', '/v1/me/mfa/confirm', { body: { code } }),
      disable: (code: string) => typedCall(c, 'post', '/v1/me/mfa/disable', { body: { code } }),
    },
    invitations: {
      lookup: (token: string) =>
        typedCall(c, 'post', '/v1/invitations/lookup', { body: { token }, anonymous: true }),
      accept: (token: string, password?: string) => c.acceptInvitation(token, password),
    },
    members: {
      list: () => typedCall(c, 'get', '/v1/members', { query: { limit: 200 } }),
      invite: (body: T.MemberCreate) => typedCall(c, 'post', '/v1/members', { body }),
      invitations: () => typedCall(c, 'get', '/v1/invitations', { query: { status: 'pending' } }),
      revokeInvitation: (id: string) =>
        typedCall(c, 'delete', '/v1/invitations/{id}', { params: { id } }),
      setRole: (id: string, role: T.Role) =>
        typedCall(c, 'patch', '/v1/members/{id}', { params: { id }, body: { role } }),
      remove: (id: string) => typedCall(c, 'delete', '/v1/members/{id}', { params: { id } }),
    },
    apiKeys: {
      list: () => typedCall(c, 'get', '/v1/api-keys', { query: { limit: 200 } }),
      create: (body: T.ApiKeyCreate) => typedCall(c, 'post', '/v1/api-keys', { body }),
      revoke: (id: string) => typedCall(c, 'delete', '/v1/api-keys/{id}', { params: { id } }),
    },
    // Typed by the OpenAPI document (ADR 141): paths, params, bodies and answers are generated.
    agents: {
      list: () => typedCall(c, 'get', '/v1/agents', { query: { limit: 200 } }),
      get: (id: string) => typedCall(c, 'get', '/v1/agents/{id}', { params: { id } }),
      create: (body: T.AgentCreate) => typedCall(c, 'post', '/v1/agents', { body }),
      update: (id: string, body: T.AgentPatch) =>
        typedCall(c, 'patch', '/v1/agents/{id}', { params: { id }, body }),
      remove: (id: string) => typedCall(c, 'delete', '/v1/agents/{id}', { params: { id } }),
      versions: (id: string) => typedCall(c, 'get', '/v1/agents/{id}/versions', { params: { id } }),
      /** The agent as a YAML file (ADR 140). */
      exportFile: (id: string) =>
        typedText(c, '/v1/agents/{id}/export', { params: { id }, query: { format: 'yaml' } }),
      /** Applies an agent file (YAML or JSON text): created, updated or unchanged; or previews it. */
      importFile: (text: string, contentType: T.FileContentType, dryRun = false) =>
        typedSendText(c, 'post', '/v1/agents/import', {
          text: { body: text, contentType },
          query: dryRun ? { dryRun: 'true' } : undefined,
        }),
      publish: (id: string, version: number) =>
        typedCall(c, 'post', '/v1/agents/{id}/publish', { params: { id }, body: { version } }),
      /** Runs the agent alone on a prompt: a one-step run the page follows (ADR 164). */
      try: (id: string, prompt: string, version?: number) =>
        typedCall(c, 'post', '/v1/agents/{id}/try', {
          params: { id },
          body: version === undefined ? { prompt } : { prompt, version },
        }),
    },
    approvals: {
      /** Approval steps waiting for a decision, oldest first. */
      waiting: (cursor?: string, signal?: AbortSignal) =>
        typedCall(c, 'get', '/v1/approvals', {
          query: { status: 'waiting', limit: 100, ...(cursor ? { cursor } : {}) },
          signal,
        }),
    },
    workflows: {
      list: () => typedCall(c, 'get', '/v1/workflows', { query: { limit: 200 } }),
      get: (id: string) => typedCall(c, 'get', '/v1/workflows/{id}', { params: { id } }),
      create: (body: T.WorkflowCreate) => typedCall(c, 'post', '/v1/workflows', { body }),
      update: (id: string, body: T.WorkflowPatch) =>
        typedCall(c, 'patch', '/v1/workflows/{id}', { params: { id }, body }),
      remove: (id: string) => typedCall(c, 'delete', '/v1/workflows/{id}', { params: { id } }),
      versions: (id: string) =>
        typedCall(c, 'get', '/v1/workflows/{id}/versions', { params: { id } }),
      publish: (id: string, version: number) =>
        typedCall(c, 'post', '/v1/workflows/{id}/publish', { params: { id }, body: { version } }),
      start: (id: string, input: Record<string, unknown>) =>
        typedCall(c, 'post', '/v1/workflows/{id}/runs', { params: { id }, body: { input } }),
      /** The workflow with the agents it uses, as a YAML bundle (ADR 140). */
      exportFile: (id: string) =>
        typedText(c, '/v1/workflows/{id}/export', {
          params: { id },
          query: { format: 'yaml', include: 'agents' },
        }),
      /** Applies a workflow file or bundle (YAML or JSON text), or previews it: each document's outcome. */
      importFile: (text: string, contentType: T.FileContentType, dryRun = false) =>
        typedSendText(c, 'post', '/v1/workflows/import', {
          text: { body: text, contentType },
          query: dryRun ? { dryRun: 'true' } : undefined,
        }),
    },
    batches: {
      list: (cursor?: string, signal?: AbortSignal) =>
        typedCall(c, 'get', '/v1/batches', {
          query: { limit: 50, ...(cursor ? { cursor } : {}) },
          signal,
        }),
      get: (id: string, cursor?: string, signal?: AbortSignal) =>
        typedCall(c, 'get', '/v1/batches/{id}', {
          params: { id },
          query: { limit: 50, ...(cursor ? { cursor } : {}) },
          signal,
        }),
      /** One run per input; the dialog reads a file into `inputs`, so JSON is always sent. */
      start: (workflowId: string, inputs: Record<string, unknown>[], maxConcurrency?: number) =>
        typedCall(c, 'post', '/v1/workflows/{id}/batches', {
          params: { id: workflowId },
          body: maxConcurrency === undefined ? { inputs } : { inputs, maxConcurrency },
        }),
      cancel: (id: string) => typedCall(c, 'post', '/v1/batches/{id}/cancel', { params: { id } }),
    },
    runs: {
      list: (q: RunsQuery = {}, signal?: AbortSignal) =>
        typedCall(c, 'get', '/v1/runs', { query: { limit: 50, ...q }, signal }),
      get: (id: string, signal?: AbortSignal) =>
        typedCall(c, 'get', '/v1/runs/{id}', { params: { id }, signal }),
      events: (id: string, after: number, signal?: AbortSignal) =>
        typedCall(c, 'get', '/v1/runs/{id}/events', { params: { id }, query: { after }, signal }),
      /** The run's events as Server-Sent Events, resuming after `after` (Last-Event-ID). */
      stream: (id: string, after: number, signal?: AbortSignal) =>
        typedStream(c, '/v1/runs/{id}/stream', {
          params: { id },
          headers: after > 0 ? { 'Last-Event-ID': String(after) } : {},
          signal,
        }),
      cancel: (id: string) => typedCall(c, 'post', '/v1/runs/{id}/cancel', { params: { id } }),
      rerun: (id: string, fromStep?: string) =>
        typedCall(c, 'post', '/v1/runs/{id}/rerun', {
          params: { id },
          body: fromStep ? { fromStep } : {},
        }),
      approve: (id: string, stepId: string, comment?: string) =>
        typedCall(c, 'post', '/v1/runs/{id}/steps/{stepId}/approve', {
          params: { id, stepId },
          body: comment ? { comment } : {},
        }),
      reject: (id: string, stepId: string, comment?: string) =>
        typedCall(c, 'post', '/v1/runs/{id}/steps/{stepId}/reject', {
          params: { id, stepId },
          body: comment ? { comment } : {},
        }),
    },
    providers: {
      list: async () => (await typedCall(c, 'get', '/v1/providers', {})).items,
      setKey: (provider: T.ProviderId, body: T.ProviderKeyBody) =>
        typedCall(c, 'put', '/v1/providers/{provider}/key', { params: { provider }, body }),
      removeKey: (provider: T.ProviderId) =>
        typedCall(c, 'delete', '/v1/providers/{provider}/key', { params: { provider } }),
    },
    usage: {
      report: (q: {
        from: string;
        to: string;
        groupBy: readonly T.UsageGroup[];
        workflowId?: string;
      }) =>
        typedCall(c, 'get', '/v1/usage', {
          // The contract takes the groups as one comma-separated value.
          query: { from: q.from, to: q.to, groupBy: q.groupBy.join(','), workflowId: q.workflowId },
        }),
      budgets: () => typedCall(c, 'get', '/v1/budgets', {}),
      setBudgets: (body: T.BudgetsBody) => typedCall(c, 'put', '/v1/budgets', { body }),
    },
    knowledge: {
      list: () => typedCall(c, 'get', '/v1/knowledge-bases', { query: { limit: 200 } }),
      create: (body: T.KnowledgeBaseCreate) =>
        typedCall(c, 'post', '/v1/knowledge-bases', { body }),
      documents: (id: string) =>
        typedCall(c, 'get', '/v1/knowledge-bases/{id}/documents', {
          params: { id },
          query: { limit: 200 },
        }),
      remove: (id: string) =>
        typedCall(c, 'delete', '/v1/knowledge-bases/{id}', { params: { id } }),
      addText: (id: string, title: string, text: string) =>
        typedCall(c, 'post', '/v1/knowledge-bases/{id}/documents', {
          params: { id },
          body: { title, text },
        }),
      /** Step 1 of an upload: the document row and a presigned `uploadUrl` to PUT the bytes to. */
      requestUpload: (id: string, filename: string, contentType: string, title?: string) =>
        typedCall(c, 'post', '/v1/knowledge-bases/{id}/documents', {
          params: { id },
          body: { filename, contentType, ...(title ? { title } : {}) },
        }),
      /** Step 2 of an upload: PUT the bytes to the presigned URL (storage, not the API). */
      putUpload: (uploadUrl: string, file: Blob, contentType: string) =>
        c.putBytes(uploadUrl, file, contentType),
      /** Step 3 of an upload (after the PUT): start ingestion. */
      ingest: (id: string, docId: string) =>
        typedCall(c, 'post', '/v1/knowledge-bases/{id}/documents/{docId}/ingest', {
          params: { id, docId },
        }),
      removeDocument: (id: string, docId: string) =>
        typedCall(c, 'delete', '/v1/knowledge-bases/{id}/documents/{docId}', {
          params: { id, docId },
        }),
      search: (id: string, query: string, topK = 5, mode?: T.SearchMode, rerank?: string) =>
        typedCall(c, 'post', '/v1/knowledge-bases/{id}/search', {
          params: { id },
          body: { query, topK, ...(mode ? { mode } : {}), ...(rerank ? { rerank } : {}) },
        }),
    },
    triggers: {
      list: () => typedCall(c, 'get', '/v1/triggers', { query: { limit: 200 } }),
      create: (body: T.TriggerCreate) => typedCall(c, 'post', '/v1/triggers', { body }),
      update: (id: string, body: T.TriggerPatch) =>
        typedCall(c, 'patch', '/v1/triggers/{id}', { params: { id }, body }),
      remove: (id: string) => typedCall(c, 'delete', '/v1/triggers/{id}', { params: { id } }),
      deliveries: (id: string) =>
        typedCall(c, 'get', '/v1/triggers/{id}/deliveries', { params: { id } }),
    },
    schedules: {
      list: () => typedCall(c, 'get', '/v1/schedules', { query: { limit: 200 } }),
      get: (id: string) => typedCall(c, 'get', '/v1/schedules/{id}', { params: { id } }),
      create: (body: T.ScheduleCreate) => typedCall(c, 'post', '/v1/schedules', { body }),
      update: (id: string, body: T.SchedulePatch) =>
        typedCall(c, 'patch', '/v1/schedules/{id}', { params: { id }, body }),
      remove: (id: string) => typedCall(c, 'delete', '/v1/schedules/{id}', { params: { id } }),
    },
  };
}

/** The runs list's filters, as the operation declares them. */
export type RunsQuery = Omit<NonNullable<Query<'get', '/v1/runs'>>, 'limit'> & { limit?: number };

export type Api = ReturnType<typeof createApi>;
