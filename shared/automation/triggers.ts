/**
 * Triggers: which webhook deliveries start which workflow. The webhook secret is generated here,
 * stored in the secret store and returned once; provider credentials are write-only.
 */
import { urlProblem } from '../net/outbound';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type {
  Trigger,
  TriggerCreateBody,
  TriggerPatchBody,
  TriggerRules,
} from '../api/contracts/triggers';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import { workflowStoreInstance } from '../catalog/workflows';
import type { Tx } from '../db/client';
import { afterCursor, keysetOrder, pageOf } from '../db/keyset';
import { triggers } from '../db/schema-automation';
import { NotFound, ValidationError, type FieldIssue } from '../errors';
import type { Platform } from '../platform/platform';
import { parsePath } from './json-path';
import { credentialsHint, deleteTriggerSecrets, putCredentials, putWebhookSecret } from './secrets';
import { newWebhookSecret } from './signatures';

export type TriggerRow = typeof triggers.$inferSelect;

const GITHUB_ONLY = ['repositories', 'branches', 'draft'] as const;
const JIRA_ONLY = ['projects', 'issueTypes'] as const;

export function webhookUrl(apiBase: string, row: Pick<TriggerRow, 'id' | 'source'>): string {
  return `${apiBase.replace(/\/$/, '')}/v1/webhooks/${row.source}/${row.id}`;
}

export function triggerView(row: TriggerRow, apiBase: string): Trigger {
  return {
    id: row.id,
    name: row.name,
    source: row.source as Trigger['source'],
    workflowId: row.workflowId,
    rules: row.rules as TriggerRules,
    inputMapping: row.inputMapping as Record<string, string>,
    enabled: row.enabled,
    webhookUrl: webhookUrl(apiBase, row),
    secretHint: `…${row.secretHint}`,
    credentials: row.credentialsKind
      ? { type: row.credentialsKind as 'token' | 'app' | 'basic', hint: row.credentialsHint ?? '' }
      : null,
    apiBaseUrl: row.apiBaseUrl,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Rules, mapping and credentials must make sense for the source: a 400 naming the field, not a trigger that never fires. */
function checkShape(source: string, fields: Partial<TriggerCreateBody>): void {
  const issues: FieldIssue[] = [];
  const foreign = source === 'github' ? JIRA_ONLY : GITHUB_ONLY;
  for (const k of foreign)
    if (fields.rules && fields.rules[k] !== undefined)
      issues.push({ path: `rules.${k}`, message: `not a ${source} rule` });
  for (const [i, e] of (fields.rules?.events ?? []).entries()) {
    if (source === 'jira' && !/^[a-z_]+:[a-z_]+$|^[a-z_]+$/.test(e))
      issues.push({
        path: `rules.events[${i}]`,
        message: 'Jira events look like jira:issue_created or comment_created',
      });
    if (source === 'github' && !/^[a-z_]+(\.[a-z_]+)?$/.test(e))
      issues.push({
        path: `rules.events[${i}]`,
        message: 'GitHub events look like pull_request or pull_request.opened',
      });
  }
  for (const [name, expr] of Object.entries(fields.inputMapping ?? {})) {
    if (expr.startsWith('$') && !parsePath(expr))
      issues.push({
        path: `inputMapping.${name}`,
        message: `"${expr}" is not a path like $.pull_request.title`,
      });
  }
  for (const path of Object.keys(fields.rules?.fields ?? {})) {
    if (!parsePath(path.startsWith('$') ? path : `$.${path}`))
      issues.push({
        path: `rules.fields.${path}`,
        message: 'not a payload path like issue.fields.priority.name',
      });
  }
  if (fields.apiBaseUrl && !safeBaseUrl(fields.apiBaseUrl))
    issues.push({
      path: 'apiBaseUrl',
      message:
        'use https (or http to a loopback host), without credentials or a private IP address',
    });
  const c = fields.credentials;
  if (c && (source === 'github') !== (c.type === 'token' || c.type === 'app'))
    issues.push({
      path: 'credentials.type',
      message:
        source === 'github'
          ? 'GitHub takes a token or a GitHub App'
          : 'Jira takes basic (email + API token)',
    });
  if (issues.length)
    throw new ValidationError(`invalid trigger: ${issues[0].path}: ${issues[0].message}`, issues);
}

/** Tool steps send the trigger's credentials to this URL (checked again at connect time: ADR 052). */
function safeBaseUrl(value: string): boolean {
  return urlProblem(value) === undefined;
}

async function loadRow(tx: Tx, tenantId: string, id: string): Promise<TriggerRow> {
  const [row] = await tx
    .select()
    .from(triggers)
    .where(and(eq(triggers.tenantId, tenantId), eq(triggers.id, id)));
  if (!row) throw new NotFound(`trigger ${id} not found`);
  return row;
}

export async function createTrigger(
  p: Platform,
  auth: AuthContext,
  body: TriggerCreateBody,
  apiBase: string,
) {
  checkShape(body.source, body);
  const id = randomUUID();
  const secret = newWebhookSecret();
  const workflow = await p.db.withTenant(auth, (tx) =>
    workflowStoreInstance.get(tx, auth.tenantId, body.workflowId),
  );
  // Secrets first: a row never exists without its secret; a failed insert removes them again.
  await putWebhookSecret(p, auth.tenantId, id, secret);
  if (body.credentials) await putCredentials(p, auth.tenantId, id, body.credentials);
  try {
    const row = await p.db.withTenant(auth, async (tx) => {
      const [created] = await tx
        .insert(triggers)
        .values({
          id,
          tenantId: auth.tenantId,
          name: body.name,
          source: body.source,
          workflowId: workflow.id,
          rules: body.rules,
          inputMapping: body.inputMapping ?? {},
          enabled: body.enabled ?? true,
          secretHint: secret.slice(-4),
          credentialsKind: body.credentials?.type ?? null,
          credentialsHint: body.credentials ? credentialsHint(body.credentials) : null,
          apiBaseUrl: body.apiBaseUrl ?? null,
          createdBy: auth.userId,
        })
        .returning();
      await recordAudit(tx, {
        tenantId: auth.tenantId,
        actor: actorOf(auth),
        action: 'trigger.create',
        target: `trigger:${id}`,
        data: {
          name: body.name,
          source: body.source,
          workflow: workflow.slug,
          credentials: body.credentials?.type ?? null,
        },
      });
      return created;
    });
    return { ...triggerView(row, apiBase), secret };
  } catch (e) {
    await deleteTriggerSecrets(p, auth.tenantId, id).catch(() => undefined);
    throw e;
  }
}

export async function getTrigger(p: Platform, auth: AuthContext, id: string, apiBase: string) {
  return p.db.withTenant(auth, async (tx) =>
    triggerView(await loadRow(tx, auth.tenantId, id), apiBase),
  );
}

export async function listTriggers(
  p: Platform,
  auth: AuthContext,
  page: { limit: number; cursor?: string },
  apiBase: string,
) {
  const key = { at: triggers.createdAt, id: triggers.id };
  const after = afterCursor(key, page.cursor);
  const rows = await p.db.withTenant(auth, (tx) =>
    tx
      .select()
      .from(triggers)
      .where(and(eq(triggers.tenantId, auth.tenantId), after))
      .orderBy(...keysetOrder(key))
      .limit(page.limit + 1),
  );
  const { rows: items, nextCursor } = pageOf(rows, page.limit, (r) => ({
    at: r.createdAt,
    id: r.id,
  }));
  return {
    items: items.map((r) => triggerView(r, apiBase)),
    ...(nextCursor ? { nextCursor } : {}),
  };
}

export async function updateTrigger(
  p: Platform,
  auth: AuthContext,
  id: string,
  patch: TriggerPatchBody,
  apiBase: string,
) {
  const current = await p.db.withTenant(auth, (tx) => loadRow(tx, auth.tenantId, id));
  checkShape(current.source, { ...patch, credentials: patch.credentials ?? undefined });
  // Stored credentials stay bound to the URL they were entered with: a new URL needs them again.
  if (
    patch.apiBaseUrl !== undefined &&
    patch.apiBaseUrl !== current.apiBaseUrl &&
    current.credentialsKind &&
    !patch.credentials
  )
    throw new ValidationError('changing apiBaseUrl requires entering the credentials again', [
      {
        path: 'credentials',
        message: 'required when apiBaseUrl changes: stored credentials are not sent to a new URL',
      },
    ]);
  const wanted = patch.workflowId;
  const workflow = wanted
    ? await p.db.withTenant(auth, (tx) => workflowStoreInstance.get(tx, auth.tenantId, wanted))
    : undefined;
  if (patch.credentials) await putCredentials(p, auth.tenantId, id, patch.credentials);
  if (patch.credentials === null) await deleteTriggerSecrets(p, auth.tenantId, id, 'credentials');
  const row = await p.db.withTenant(auth, async (tx) => {
    const [updated] = await tx
      .update(triggers)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(workflow ? { workflowId: workflow.id } : {}),
        ...(patch.rules ? { rules: patch.rules } : {}),
        ...(patch.inputMapping ? { inputMapping: patch.inputMapping } : {}),
        ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
        ...(patch.apiBaseUrl !== undefined ? { apiBaseUrl: patch.apiBaseUrl } : {}),
        ...(patch.credentials !== undefined
          ? {
              credentialsKind: patch.credentials?.type ?? null,
              credentialsHint: patch.credentials ? credentialsHint(patch.credentials) : null,
            }
          : {}),
        updatedAt: new Date(p.now()),
      })
      .where(and(eq(triggers.tenantId, auth.tenantId), eq(triggers.id, id)))
      .returning();
    if (!updated) throw new NotFound(`trigger ${id} not found`);
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'trigger.update',
      target: `trigger:${id}`,
      data: { fields: Object.keys(patch) },
    });
    return updated;
  });
  return triggerView(row, apiBase);
}

export async function deleteTrigger(p: Platform, auth: AuthContext, id: string): Promise<void> {
  await p.db.withTenant(auth, async (tx) => {
    const row = await loadRow(tx, auth.tenantId, id);
    await tx.delete(triggers).where(eq(triggers.id, row.id));
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'trigger.delete',
      target: `trigger:${id}`,
      data: { name: row.name },
    });
  });
  await deleteTriggerSecrets(p, auth.tenantId, id);
}
