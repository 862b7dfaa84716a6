/**
 * The approval inbox: every approval step waiting in the tenant, with what it asks (its node's
 * prompt rendered on the run's data) and the outputs it gates, cut to a preview. Deciding goes
 * through `decideApproval` (decide-approval.ts), as from a run page.
 */
import { and, eq } from 'drizzle-orm';
import type { WorkflowSpec } from '../api/contracts/workflows';
import type { Tx } from '../db/client';
import { afterCursor, keysetOrder, pageOf, type Keyset } from '../db/keyset';
import { runSteps, runs, workflowVersions, workflows } from '../db/schema';
import { renderTemplate } from '../workflow/template';
import { loadOutputs, referencedSteps } from './engine/context';
import type { PayloadPlatform } from './step-payloads';

/** How much of each gated output the inbox shows; the step view has the rest. */
export const APPROVAL_PREVIEW_CHARS = 2000;

// Oldest first: what has waited longest is at the top of the inbox.
const KEY: Keyset = { at: runSteps.startedAt, id: runSteps.id, direction: 'asc' };

export function previewOf(nodeId: string, output: unknown) {
  const text = typeof output === 'string' ? output : (JSON.stringify(output, null, 2) ?? '');
  const truncated = text.length > APPROVAL_PREVIEW_CHARS;
  return {
    nodeId,
    output: truncated ? text.slice(0, APPROVAL_PREVIEW_CHARS) : text,
    chars: text.length,
    truncated,
  };
}

interface WaitingRow {
  stepId: string;
  nodeId: string;
  iteration: number;
  waitingSince: Date | null;
  runId: string;
  input: unknown;
  runStartedAt: Date;
  workflowId: string;
  workflowVersion: number;
  workflowSlug: string;
  spec: unknown;
}

/** One inbox item: the approval's prompt rendered on the run's data, and the outputs it gates. */
async function itemOf(p: PayloadPlatform, tx: Tx, tenantId: string, r: WaitingRow) {
  const spec = r.spec as WorkflowSpec;
  const node = spec.nodes.find((n) => n.id === r.nodeId);
  const upstream = [...new Set(spec.edges.filter((e) => e.to === r.nodeId).map((e) => e.from))];
  const template = node?.prompt;
  // Offloaded outputs (ADR 105) stay as their preview: the inbox never reads S3 per row.
  const outputs = await loadOutputs(
    p,
    tx,
    { id: r.runId, tenantId },
    [...upstream, ...(template ? referencedSteps(template) : [])],
    'reference',
  );
  const input = (r.input ?? {}) as Record<string, unknown>;
  const message = template ? renderTemplate(template, { input, steps: outputs }) : undefined;
  return {
    runId: r.runId,
    stepId: r.stepId,
    nodeId: r.nodeId,
    iteration: r.iteration,
    workflowId: r.workflowId,
    workflowSlug: r.workflowSlug,
    workflowVersion: r.workflowVersion,
    ...(message === undefined ? {} : { message: previewOf(r.nodeId, message).output }),
    gates: upstream
      .filter((id) => outputs[id] !== undefined)
      .map((id) => previewOf(id, outputs[id].output)),
    waitingSince: (r.waitingSince ?? r.runStartedAt).toISOString(),
    runStartedAt: r.runStartedAt.toISOString(),
  };
}

export async function listWaitingApprovals(
  p: PayloadPlatform,
  tx: Tx,
  tenantId: string,
  page: { limit: number; cursor?: string },
) {
  const rows = await tx
    .select({
      stepId: runSteps.id,
      nodeId: runSteps.nodeId,
      iteration: runSteps.iteration,
      waitingSince: runSteps.startedAt,
      runId: runs.id,
      input: runs.input,
      runStartedAt: runs.startedAt,
      workflowId: runs.workflowId,
      workflowVersion: runs.workflowVersion,
      workflowSlug: workflows.slug,
      spec: workflowVersions.spec,
    })
    .from(runSteps)
    .innerJoin(runs, eq(runs.id, runSteps.runId))
    .innerJoin(workflows, eq(workflows.id, runs.workflowId))
    .innerJoin(
      workflowVersions,
      and(
        eq(workflowVersions.workflowId, runs.workflowId),
        eq(workflowVersions.version, runs.workflowVersion),
      ),
    )
    .where(
      and(
        eq(runSteps.tenantId, tenantId),
        eq(runSteps.type, 'approval'),
        eq(runSteps.status, 'WAITING'),
        eq(runs.status, 'WAITING'),
        afterCursor(KEY, page.cursor),
      ),
    )
    .orderBy(...keysetOrder(KEY))
    .limit(page.limit + 1);
  const kept = pageOf(rows, page.limit, (r) => ({
    at: r.waitingSince ?? r.runStartedAt,
    id: r.stepId,
  }));
  // One after the other: a transaction runs one statement at a time (the Data API refuses more).
  const items = [];
  for (const r of kept.rows) items.push(await itemOf(p, tx, tenantId, r));
  return { items, ...(kept.nextCursor ? { nextCursor: kept.nextCursor } : {}) };
}
