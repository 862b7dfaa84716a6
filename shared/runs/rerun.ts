/** Re-running a finished run, or forking it with a new input, reusing what still holds. */
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import { workflowStoreInstance } from '../catalog/workflows';
import { runSteps, runs } from '../db/schema';
import { Conflict, ValidationError } from '../errors';
import type { Platform } from '../platform/platform';
import { descendantsOf } from '../workflow/graph';
import { validateRunInput } from '../workflow/validate';
import { latestSteps } from './engine/context';
import { appendEvent } from './events';
import { launch } from './launch';
import { loadRunRow, loadSteps } from './run-store';
import { isTerminalRun } from './run-status';
import { traceRunId } from './start-run';

/**
 * A new run of the same pinned versions that reuses the finished outputs before `fromStep`. With a
 * new `input` it is a fork: outputs computed from the old input are reused only before an explicit
 * `fromStep`, and the new run's timeline records the fork.
 */
export async function rerun(
  p: Platform,
  auth: AuthContext,
  runId: string,
  options: { fromStep?: string; input?: Record<string, unknown> } = {},
) {
  const { fromStep, input } = options;
  const newRunId = traceRunId();
  await p.db.withTenant(auth, async (tx) => {
    const old = await loadRunRow(tx, auth.tenantId, runId);
    if (!isTerminalRun(old.status))
      throw new Conflict(`run is ${old.status}; cancel it or wait before re-running`);
    const wf = await workflowStoreInstance.get(
      tx,
      auth.tenantId,
      old.workflowId,
      old.workflowVersion,
    );
    const steps = await loadSteps(tx, runId);
    const fork = input !== undefined;
    if (fork) {
      const issues = validateRunInput(wf.spec, input);
      if (issues.length)
        throw new ValidationError(
          `invalid run input: ${issues[0].path}: ${issues[0].message}`,
          issues,
        );
    }
    const start = fromStep ?? (fork ? undefined : steps.find((s) => s.status === 'FAILED')?.nodeId);
    if (fromStep && !wf.spec.nodes.some((n) => n.id === fromStep))
      throw new ValidationError(`no step "${fromStep}" in this workflow`, [
        { path: 'fromStep', message: 'not a node of the workflow version of this run' },
      ]);
    const redo = start ? descendantsOf(wf.spec, start) : new Set(wf.spec.nodes.map((n) => n.id));
    if (start) redo.add(start);
    await tx.insert(runs).values({
      id: newRunId,
      tenantId: auth.tenantId,
      workflowId: old.workflowId,
      workflowVersion: old.workflowVersion,
      agentVersions: old.agentVersions,
      status: 'QUEUED',
      input: fork ? input : old.input,
      rerunOf: old.id,
      createdBy: actorOf(auth),
    });
    const latest = latestSteps(steps);
    await tx.insert(runSteps).values(
      wf.spec.nodes.flatMap((n) => {
        const prev = latest.get(n.id);
        const reuse = prev && prev.status === 'SUCCEEDED' && !redo.has(n.id);
        // A reused node keeps every iteration it ran, so templates still reach the earlier ones.
        return reuse
          ? steps
              .filter((s) => s.nodeId === n.id && s.status === 'SUCCEEDED')
              .map((s) => ({
                tenantId: auth.tenantId,
                runId: newRunId,
                nodeId: n.id,
                type: n.type,
                status: 'SUCCEEDED',
                iteration: s.iteration,
                prompt: s.prompt,
                output: s.output,
                // The pointers of payloads kept in S3 (same tenant; the objects are shared).
                payloads: s.payloads,
                provider: s.provider,
                model: s.model,
                startedAt: s.startedAt,
                finishedAt: s.finishedAt,
              }))
          : [
              {
                tenantId: auth.tenantId,
                runId: newRunId,
                nodeId: n.id,
                type: n.type,
                status: 'PENDING',
              },
            ];
      }),
    );
    await appendEvent(tx, {
      tenantId: auth.tenantId,
      runId: newRunId,
      type: 'run.queued',
      message: `${fork ? 'fork' : 're-run'} of ${runId}${fork ? ' with new input' : ''}${start ? ` from step ${start}` : ''}`,
      data: { rerunOf: runId, fromStep: start ?? null, fork },
    });
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'run.rerun',
      target: `run:${newRunId}`,
      data: { rerunOf: runId, fromStep: start ?? null, fork },
    });
  });
  await launch(p, auth.tenantId, newRunId, newRunId);
  return { runId: newRunId, status: 'QUEUED' };
}
