/** Typed calls, one per route the console uses; each path is a route of shared/api/routes (checked by test/unit/api/console-paths.test.ts). */
import type { ApiClient } from './client';
import { typedCall } from './typed';
import type * as T from './types';

const enc = encodeURIComponent;

export function createApi(c: ApiClient) {
  return {
    client: c,
    auth: {
      login: (email: string, password: string, tenant?: string) => c.login(email, password, tenant),
      logout: () => c.logout(),
      me: () => c.get<T.Me>('/v1/me'),
      verifyMfa: (mfaToken: string, factor: { code?: string; recoveryCode?: string }) =>
        c.verifyMfa(mfaToken, factor),
      enrolDuringSignIn: (mfaToken: string) =>
        c.request<T.MfaEnrolment>('POST', '/v1/auth/mfa/enrol', {
          body: { mfaToken },
          anonymous: true,
        }),
    },
    mfa: {
      status: () => c.get<T.MfaStatus>('/v1/me/mfa'),
      enrol: () => c.post<T.MfaEnrolment>('/v1/me/mfa/enrol', {}),
      confirm: (code: string) =>
        c.post<{ recoveryCodes: string[] }>('/v1/me/mfa/confirm', { code }),
      disable: (code: string) => c.post<void>('/v1/me/mfa/disable', { code }),
    },
    invitations: {
      lookup: (token: string) =>
        c.request<T.InvitationPreview>('POST', '/v1/invitations/lookup', {
          body: { token },
          anonymous: true,
        }),
      accept: (token: string, password?: string) => c.acceptInvitation(token, password),
    },
    members: {
      list: () => c.get<T.Page<T.Member>>('/v1/members', { limit: 200 }),
      invite: (body: T.MemberCreate) => c.post<T.InvitationCreated>('/v1/members', body),
      invitations: () => c.get<T.Page<T.Invitation>>('/v1/invitations', { status: 'pending' }),
      revokeInvitation: (id: string) => c.delete(`/v1/invitations/${enc(id)}`),
      setRole: (id: string, role: T.Role) => c.patch<T.Member>(`/v1/members/${enc(id)}`, { role }),
      remove: (id: string) => c.delete(`/v1/members/${enc(id)}`),
    },
    apiKeys: {
      list: () => c.get<T.Page<T.ApiKey>>('/v1/api-keys', { limit: 200 }),
      create: (body: T.ApiKeyCreate) => c.post<T.ApiKeyCreated>('/v1/api-keys', body),
      revoke: (id: string) => c.delete(`/v1/api-keys/${enc(id)}`),
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
        c.requestText('GET', `/v1/agents/${enc(id)}/export`, { query: { format: 'yaml' } }),
      /** Applies an agent file (YAML or JSON text): created, updated or unchanged; or previews it. */
      importFile: (text: string, contentType: string, dryRun = false) =>
        c.request<T.ImportReport>('POST', '/v1/agents/import', {
          text: { body: text, contentType },
          query: dryRun ? { dryRun: 'true' } : undefined,
        }),
      publish: (id: string, version: number) =>
        typedCall(c, 'post', '/v1/agents/{id}/publish', { params: { id }, body: { version } }),
    },
    workflows: {
      list: () => typedCall(c, 'get', '/v1/workflows', { query: { limit: 200 } }),
      get: (id: string) => typedCall(c, 'get', '/v1/workflows/{id}', { params: { id } }),
      // Still by hand: the editor's drafts are typed by zod, whose recursive edge condition
      // infers as `unknown`, while the generated type spells the condition out.
      create: (body: T.WorkflowCreate) => c.post<T.Workflow>('/v1/workflows', body),
      update: (id: string, body: T.WorkflowPatch) =>
        c.patch<T.Workflow>(`/v1/workflows/${enc(id)}`, body),
      remove: (id: string) => typedCall(c, 'delete', '/v1/workflows/{id}', { params: { id } }),
      versions: (id: string) =>
        typedCall(c, 'get', '/v1/workflows/{id}/versions', { params: { id } }),
      publish: (id: string, version: number) =>
        typedCall(c, 'post', '/v1/workflows/{id}/publish', { params: { id }, body: { version } }),
      start: (id: string, input: Record<string, unknown>) =>
        typedCall(c, 'post', '/v1/workflows/{id}/runs', { params: { id }, body: { input } }),
      /** The workflow with the agents it uses, as a YAML bundle (ADR 140). */
      exportFile: (id: string) =>
        c.requestText('GET', `/v1/workflows/${enc(id)}/export`, {
          query: { format: 'yaml', include: 'agents' },
        }),
      /** Applies a workflow file or bundle (YAML or JSON text), or previews it: each document's outcome. */
      importFile: (text: string, contentType: string, dryRun = false) =>
        c.request<T.ImportReport>('POST', '/v1/workflows/import', {
          text: { body: text, contentType },
          query: dryRun ? { dryRun: 'true' } : undefined,
        }),
    },
    runs: {
      list: (
        q: {
          status?: string;
          workflowId?: string;
          scheduleId?: string;
          cursor?: string;
          limit?: number;
        } = {},
        signal?: AbortSignal,
      ) => c.get<T.Page<T.RunSummary>>('/v1/runs', { limit: 50, ...q }, signal),
      get: (id: string, signal?: AbortSignal) =>
        typedCall(c, 'get', '/v1/runs/{id}', { params: { id }, signal }),
      events: (id: string, after: number, signal?: AbortSignal) =>
        typedCall(c, 'get', '/v1/runs/{id}/events', { params: { id }, query: { after }, signal }),
      /** The run's events as Server-Sent Events, resuming after `after` (Last-Event-ID). */
      stream: (id: string, after: number, signal?: AbortSignal) =>
        c.openStream(`/v1/runs/${enc(id)}/stream`, {
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
      list: async () => normalizeList<T.ProviderStatus>(await c.get<unknown>('/v1/providers')),
      setKey: (provider: string, body: T.ProviderKeyBody) =>
        c.put<T.ProviderStatus>(`/v1/providers/${enc(provider)}/key`, body),
      removeKey: (provider: string) => c.delete(`/v1/providers/${enc(provider)}/key`),
    },
    usage: {
      report: (q: {
        from: string;
        to: string;
        groupBy: readonly T.UsageGroup[];
        workflowId?: string;
      }) =>
        c.get<T.UsageReport>('/v1/usage', {
          from: q.from,
          to: q.to,
          groupBy: q.groupBy,
          workflowId: q.workflowId,
        }),
      budgets: () => c.get<T.Budgets>('/v1/budgets'),
      setBudgets: (body: T.BudgetsBody) => c.put<T.Budgets>('/v1/budgets', body),
    },
    knowledge: {
      list: () => c.get<T.Page<T.KnowledgeBase>>('/v1/knowledge-bases', { limit: 200 }),
      create: (body: T.KnowledgeBaseCreate) => c.post<T.KnowledgeBase>('/v1/knowledge-bases', body),
      documents: (id: string) =>
        c.get<T.Page<T.KnowledgeDocument>>(`/v1/knowledge-bases/${enc(id)}/documents`, {
          limit: 200,
        }),
      remove: (id: string) => c.delete(`/v1/knowledge-bases/${enc(id)}`),
      addText: (id: string, title: string, text: string) =>
        c.post<T.KnowledgeDocumentCreated>(`/v1/knowledge-bases/${enc(id)}/documents`, {
          title,
          text,
        }),
      /** Step 1 of an upload: the document row and a presigned `uploadUrl` to PUT the bytes to. */
      requestUpload: (id: string, filename: string, contentType: string, title?: string) =>
        c.post<T.KnowledgeDocumentCreated>(`/v1/knowledge-bases/${enc(id)}/documents`, {
          filename,
          contentType,
          ...(title ? { title } : {}),
        }),
      /** Step 2 of an upload: PUT the bytes to the presigned URL. */
      putUpload: (uploadUrl: string, file: Blob, contentType: string) =>
        c.putBytes(uploadUrl, file, contentType),
      /** Step 3 of an upload (after the PUT): start ingestion. */
      ingest: (id: string, docId: string) =>
        c.post<T.KnowledgeDocument>(
          `/v1/knowledge-bases/${enc(id)}/documents/${enc(docId)}/ingest`,
        ),
      removeDocument: (id: string, docId: string) =>
        c.delete(`/v1/knowledge-bases/${enc(id)}/documents/${enc(docId)}`),
      search: (id: string, query: string, topK = 5, mode?: T.SearchMode, rerank?: string) =>
        c.post<T.SearchResult>(`/v1/knowledge-bases/${enc(id)}/search`, {
          query,
          topK,
          ...(mode ? { mode } : {}),
          ...(rerank ? { rerank } : {}),
        }),
    },
    triggers: {
      list: () => c.get<T.Page<T.Trigger>>('/v1/triggers', { limit: 200 }),
      create: (body: T.TriggerCreate) => c.post<T.TriggerCreated>('/v1/triggers', body),
      update: (id: string, body: T.TriggerPatch) =>
        c.patch<T.Trigger>(`/v1/triggers/${enc(id)}`, body),
      remove: (id: string) => c.delete(`/v1/triggers/${enc(id)}`),
      deliveries: (id: string) => c.get<T.Page<T.Delivery>>(`/v1/triggers/${enc(id)}/deliveries`),
    },
    schedules: {
      list: () => c.get<T.Page<T.Schedule>>('/v1/schedules', { limit: 200 }),
      get: (id: string) => c.get<T.Schedule>(`/v1/schedules/${enc(id)}`),
      create: (body: T.ScheduleCreate) => c.post<T.Schedule>('/v1/schedules', body),
      update: (id: string, body: T.SchedulePatch) =>
        c.patch<T.Schedule>(`/v1/schedules/${enc(id)}`, body),
      remove: (id: string) => c.delete(`/v1/schedules/${enc(id)}`),
    },
  };
}

export type Api = ReturnType<typeof createApi>;

/** Lists come as `{items, nextCursor?}` (listOf in shared/api/contracts/common.ts); a bare array or `{rows}` is accepted too. */
export function normalizeList<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  const obj = body as { items?: unknown; rows?: unknown } | null;
  if (Array.isArray(obj?.items)) return obj.items as T[];
  if (Array.isArray(obj?.rows)) return obj.rows as T[];
  return [];
}
