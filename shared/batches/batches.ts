/**
 * Batches (ADR 160): one run of a workflow version per input. Starting a batch validates every
 * input first (nothing is written when one is refused), writes the item list to the artifacts
 * bucket and the batch row in one transaction, then starts the batch state machine, whose
 * Distributed Map starts each item's run through `startRun` (./items.ts).
 */
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, notInArray, sql } from 'drizzle-orm';
import {
  type BatchCounts,
  type BatchCreateBody,
  DEFAULT_BATCH_CONCURRENCY,
} from '../api/contracts/batches';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import { workflowStoreInstance } from '../catalog/workflows';
import { rowsOf, type Tx } from '../db/client';
import { afterCursor, keysetOrder, pageOf } from '../db/keyset';
import { batches, runs, workflows } from '../db/schema';
import { Conflict, IdempotencyKeyReused, NotFound, ValidationError } from '../errors';
import type { FieldIssue } from '../errors';
import { claimKey, releaseKey } from '../idempotency/claims';
import type { Platform } from '../platform/platform';
import { cancelRun } from '../runs/cancel-run';
import { fingerprintOf } from '../idempotency/fingerprint';
import { listRuns } from '../runs/run-store';
import { validateRunInput } from '../workflow/validate';
import { TERMINAL_RUN_STATUSES } from '../runs/run-status';

export const BATCH_MACHINE = 'runBatch';
/** A 400 lists at most this many refused inputs (the first ones), not all 10,000. */
const MAX_REPORTED = 20;

type Row = typeof batches.$inferSelect;

/** What the batch state machine's execution gets: ids and where the item list is. */
export interface BatchExecutionInput {
  tenantId: string;
  batchId: string;
  bucket: string;
  itemsKey: string;
  maxConcurrency: number;
}

export function itemsKeyOf(tenantId: string, batchId: string): string {
  return `batches/${tenantId}/${batchId}/items.json`;
}

/** How a 400 names a refused input: `inputs[3].title`, or `line 4: title` for JSONL. */
function inputPath(form: 'json' | 'jsonl', index: number, path: string): string {
  const field = path.replace(/^input\.?/, '');
  return form === 'jsonl'
    ? `line ${index + 1}${field ? `: ${field}` : ''}`
    : `inputs[${index}]${field ? `.${field}` : ''}`;
}

export async function startBatch(
  p: Platform,
  auth: AuthContext,
  workflowIdOrSlug: string,
  body: BatchCreateBody,
  options: { form: 'json' | 'jsonl'; idempotencyKey?: string },
): Promise<{ batchId: string; status: 'RUNNING' | 'FAILED'; replayed?: boolean }> {
  const batchId = randomUUID();
  const maxConcurrency = body.maxConcurrency ?? DEFAULT_BATCH_CONCURRENCY;
  const claimId = `idem#${auth.tenantId}#batch#${options.idempotencyKey}`;
  if (options.idempotencyKey) {
    const print = fingerprintOf({
      w: workflowIdOrSlug,
      v: body.version ?? null,
      maxConcurrency,
      i: body.inputs,
    });
    const claim = await claimKey(
      p.dynamo,
      p.config.TABLE_NAME,
      claimId,
      `${batchId}#${print}`,
      24 * 3600,
      p.now(),
    );
    if (!claim.claimed) {
      const [earlier, earlierPrint] = claim.value.split('#');
      if (earlierPrint !== print)
        throw new IdempotencyKeyReused(
          `Idempotency-Key was already used for a different request (batch ${earlier}); use a new key`,
        );
      return { batchId: earlier, status: 'RUNNING', replayed: true };
    }
  }
  const itemsKey = itemsKeyOf(auth.tenantId, batchId);
  try {
    await p.db.withTenant(auth, async (tx) => {
      const wf = await workflowStoreInstance
        .getPublished(tx, auth.tenantId, workflowIdOrSlug, body.version)
        .catch(async (e) => {
          if (!(e instanceof NotFound) || body.version === undefined) throw e;
          await workflowStoreInstance.get(tx, auth.tenantId, workflowIdOrSlug);
          throw new ValidationError(`the workflow has no version ${body.version}`, [
            { path: 'version', message: `no version ${body.version}` },
          ]);
        });
      const issues: FieldIssue[] = [];
      let refused = 0;
      for (const [i, input] of body.inputs.entries()) {
        const found = validateRunInput(wf.spec, input);
        if (!found.length) continue;
        refused++;
        if (issues.length < MAX_REPORTED)
          issues.push(
            ...found.map((f) => ({ path: inputPath(options.form, i, f.path), message: f.message })),
          );
      }
      if (refused)
        throw new ValidationError(
          `${refused} of ${body.inputs.length} inputs do not fit workflow "${wf.slug}" v${wf.version}: ${issues[0].path}: ${issues[0].message}`,
          issues.slice(0, MAX_REPORTED),
        );
      await tx.insert(batches).values({
        id: batchId,
        tenantId: auth.tenantId,
        workflowId: wf.id,
        workflowVersion: wf.version,
        status: 'RUNNING',
        total: body.inputs.length,
        maxConcurrency,
        itemsKey,
        createdBy: actorOf(auth),
      });
      await recordAudit(tx, {
        tenantId: auth.tenantId,
        actor: actorOf(auth),
        action: 'batch.start',
        target: `batch:${batchId}`,
        data: {
          workflow: wf.slug,
          version: wf.version,
          inputs: body.inputs.length,
          maxConcurrency,
        },
      });
      // Inside the transaction: an item list that cannot be written leaves no batch row.
      const { PutObjectCommand } = await import('@aws-sdk/client-s3');
      await p.s3.send(
        new PutObjectCommand({
          Bucket: p.config.ARTIFACTS_BUCKET,
          Key: itemsKey,
          Body: JSON.stringify(body.inputs),
          ContentType: 'application/json',
        }),
      );
    });
  } catch (e) {
    if (options.idempotencyKey) await releaseKey(p.dynamo, p.config.TABLE_NAME, claimId);
    throw e;
  }
  const input: BatchExecutionInput = {
    tenantId: auth.tenantId,
    batchId,
    bucket: p.config.ARTIFACTS_BUCKET,
    itemsKey,
    maxConcurrency,
  };
  try {
    const { executionId } = await p.executions.start(BATCH_MACHINE, batchId, { ...input });
    await p.db.withTenant(auth, (tx) =>
      tx.update(batches).set({ executionId }).where(eq(batches.id, batchId)),
    );
    return { batchId, status: 'RUNNING' };
  } catch (cause) {
    p.log.error('could not start the batch execution', { batchId, error: cause });
    await p.db.withTenant(auth, (tx) =>
      tx
        .update(batches)
        .set({
          status: 'FAILED',
          error: { name: 'StartFailed', message: 'the workflow engine did not accept the batch' },
          finishedAt: new Date(p.now()),
        })
        .where(eq(batches.id, batchId)),
    );
    return { batchId, status: 'FAILED' };
  }
}

/** Runs by status for each batch; inputs without a run are `notStarted`. */
export async function countsOf(tx: Tx, rows: Row[]): Promise<Map<string, BatchCounts>> {
  const out = new Map<string, BatchCounts>();
  if (!rows.length) return out;
  const ids = rows.map((r) => r.id);
  const grouped = rowsOf<{ batch_id: string; status: string; n: string }>(
    await tx.execute(
      sql`select batch_id, status, count(*)::text as n from runs
          where batch_id in (${sql.join(
            ids.map((id) => sql`${id}::uuid`),
            sql`, `,
          )}) group by batch_id, status`,
    ),
  );
  for (const r of rows) {
    const c: BatchCounts = {
      total: r.total,
      notStarted: r.total,
      queued: 0,
      running: 0,
      waiting: 0,
      succeeded: 0,
      failed: 0,
      cancelled: 0,
    };
    for (const g of grouped.filter((x) => x.batch_id === r.id)) {
      const n = Number(g.n);
      const key = g.status.toLowerCase() as keyof BatchCounts;
      if (key in c && key !== 'total' && key !== 'notStarted') c[key] += n;
      c.notStarted -= n;
    }
    out.set(r.id, c);
  }
  return out;
}

function view(row: Row, slug: string, counts: BatchCounts) {
  const error = row.error as { name: string; message: string } | null;
  return {
    id: row.id,
    workflowId: row.workflowId,
    workflowSlug: slug,
    workflowVersion: row.workflowVersion,
    status: row.status as 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED',
    maxConcurrency: row.maxConcurrency,
    counts,
    ...(error ? { error } : {}),
    createdAt: row.createdAt.toISOString(),
    ...(row.finishedAt ? { finishedAt: row.finishedAt.toISOString() } : {}),
  };
}

async function loadBatch(tx: Tx, tenantId: string, id: string) {
  const [found] = await tx
    .select({ b: batches, slug: workflows.slug })
    .from(batches)
    .innerJoin(workflows, eq(workflows.id, batches.workflowId))
    .where(and(eq(batches.tenantId, tenantId), eq(batches.id, id)));
  if (!found) throw new NotFound('batch not found');
  return found;
}

export async function getBatch(
  p: Platform,
  auth: AuthContext,
  id: string,
  page: { limit: number; cursor?: string },
) {
  return p.db.withTenant(auth, async (tx) => {
    const { b, slug } = await loadBatch(tx, auth.tenantId, id);
    const counts = (await countsOf(tx, [b])).get(b.id);
    if (!counts) throw new Error('unreachable: counts of a loaded batch');
    const batchRuns = await listRuns(tx, auth.tenantId, { ...page, batchId: b.id });
    return { ...view(b, slug, counts), runs: batchRuns };
  });
}

export async function listBatches(
  p: Platform,
  auth: AuthContext,
  q: { limit: number; cursor?: string; workflowId?: string },
) {
  return p.db.withTenant(auth, async (tx) => {
    const key = { at: batches.createdAt, id: batches.id };
    const wf = q.workflowId
      ? await workflowStoreInstance.get(tx, auth.tenantId, q.workflowId)
      : undefined;
    const rows = await tx
      .select({ b: batches, slug: workflows.slug })
      .from(batches)
      .innerJoin(workflows, eq(workflows.id, batches.workflowId))
      .where(
        and(
          eq(batches.tenantId, auth.tenantId),
          isNull(workflows.deletedAt),
          wf ? eq(batches.workflowId, wf.id) : undefined,
          afterCursor(key, q.cursor),
        ),
      )
      .orderBy(...keysetOrder(key))
      .limit(q.limit + 1);
    const page = pageOf(rows, q.limit, (r) => ({ at: r.b.createdAt, id: r.b.id }));
    const counts = await countsOf(
      tx,
      page.rows.map((r) => r.b),
    );
    const items = page.rows.map((r) => {
      const c = counts.get(r.b.id);
      if (!c) throw new Error('unreachable: counts of a listed batch');
      return view(r.b, r.slug, c);
    });
    return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  });
}

/**
 * Cancels a running batch: no item starts a run from now on (items check the status), the batch
 * execution is stopped, and every unfinished run of the batch is cancelled like a single run.
 */
export async function cancelBatch(p: Platform, auth: AuthContext, id: string) {
  const { executionId } = await p.db.withTenant(auth, async (tx) => {
    const { b } = await loadBatch(tx, auth.tenantId, id);
    if (b.status !== 'RUNNING') throw new Conflict(`batch is already ${b.status}`);
    await tx
      .update(batches)
      .set({
        status: 'CANCELLED',
        finishedAt: new Date(p.now()),
        error: { name: 'BatchCancelled', message: `cancelled by ${actorOf(auth)}` },
      })
      .where(eq(batches.id, id));
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'batch.cancel',
      target: `batch:${id}`,
    });
    return b;
  });
  // Read after the CANCELLED commit: a run an item inserts later is cancelled by its item, which
  // re-reads the batch after starting it (`advanceBatchItem`), so no run escapes between the two.
  const open = await p.db.withTenant(auth, (tx) =>
    tx
      .select({ id: runs.id })
      .from(runs)
      .where(and(eq(runs.batchId, id), notInArray(runs.status, [...TERMINAL_RUN_STATUSES]))),
  );
  if (executionId)
    await p.executions
      .stop(executionId, 'batch cancelled')
      .catch((error) => p.log.warn('could not stop the batch execution', { id, error }));
  // The batch is already CANCELLED, so no item starts another run: a run that finished, or was
  // still being started by its item meanwhile, is logged, not a 500 for a cancel that took effect.
  for (const { id: runId } of open)
    await cancelRun(p, auth, runId).catch((error) => {
      if (!(error instanceof Conflict))
        p.log.warn('could not cancel a run of the batch', { id, runId, error });
    });
  return p.db.withTenant(auth, async (tx) => {
    const { b, slug } = await loadBatch(tx, auth.tenantId, id);
    const counts = (await countsOf(tx, [b])).get(b.id);
    if (!counts) throw new Error('unreachable: counts of a loaded batch');
    return view(b, slug, counts);
  });
}
