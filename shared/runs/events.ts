import { and, asc, eq, gt } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { runEvents } from '../db/schema';

export interface RunEventInput {
  tenantId: string;
  runId: string;
  stepId?: string | null;
  nodeId?: string | null;
  type: string;
  message: string;
  data?: Record<string, unknown>;
}

/** The timeline the console shows: one row per thing that happened to a run. */
export async function appendEvent(tx: Tx, e: RunEventInput): Promise<void> {
  await tx.insert(runEvents).values({
    tenantId: e.tenantId,
    runId: e.runId,
    stepId: e.stepId ?? null,
    nodeId: e.nodeId ?? null,
    type: e.type,
    message: e.message,
    data: e.data ?? null,
  });
}

export async function listEvents(tx: Tx, runId: string, after: number, limit: number) {
  const rows = await tx
    .select()
    .from(runEvents)
    .where(and(eq(runEvents.runId, runId), gt(runEvents.seq, after)))
    .orderBy(asc(runEvents.seq))
    .limit(limit);
  const items = rows.map((r) => ({
    seq: r.seq,
    type: r.type,
    ...(r.stepId ? { stepId: r.stepId } : {}),
    ...(r.nodeId ? { nodeId: r.nodeId } : {}),
    message: r.message,
    ...(r.data ? { data: r.data } : {}),
    at: r.createdAt.toISOString(),
  }));
  return { items, nextAfter: items.length ? items[items.length - 1].seq : after };
}
