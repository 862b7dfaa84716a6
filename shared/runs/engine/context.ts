import { and, eq } from 'drizzle-orm';
import type { AgentSpec } from '../../api/contracts/agents';
import type { WorkflowSpec } from '../../api/contracts/workflows';
import type { Tx } from '../../db/client';
import { agentVersions, runSteps, runs, workflowVersions } from '../../db/schema';
import { NotFound } from '../../errors';
import type { StepStatus } from '../../workflow/model';
import type { PinnedAgent } from '../lifecycle';

export type RunRow = typeof runs.$inferSelect;
export type StepRow = typeof runSteps.$inferSelect;

/** The run, its pinned workflow version and its steps: what every engine task starts from. */
export async function loadRunContext(tx: Tx, runId: string) {
  const [run] = await tx.select().from(runs).where(eq(runs.id, runId));
  if (!run) throw new NotFound(`run ${runId} not found`);
  const [wv] = await tx
    .select()
    .from(workflowVersions)
    .where(
      and(
        eq(workflowVersions.workflowId, run.workflowId),
        eq(workflowVersions.version, run.workflowVersion),
      ),
    );
  if (!wv) throw new NotFound(`workflow version ${run.workflowVersion} of run ${runId} not found`);
  const steps = await tx.select().from(runSteps).where(eq(runSteps.runId, runId));
  return { run, spec: wv.spec as WorkflowSpec, steps };
}

export function statusMap(steps: StepRow[]): Record<string, StepStatus> {
  return Object.fromEntries(steps.map((s) => [s.nodeId, s.status as StepStatus]));
}

export async function loadPinnedAgent(tx: Tx, run: RunRow, slug: string): Promise<AgentSpec> {
  const pin = (run.agentVersions as Record<string, PinnedAgent>)[slug];
  if (!pin) throw new NotFound(`agent ${slug} is not pinned in run ${run.id}`);
  const [row] = await tx
    .select()
    .from(agentVersions)
    .where(and(eq(agentVersions.agentId, pin.agentId), eq(agentVersions.version, pin.version)));
  if (!row) throw new NotFound(`agent ${slug} v${pin.version} not found`);
  return row.spec as AgentSpec;
}
