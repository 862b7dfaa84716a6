import { eq } from 'drizzle-orm';
import { runSteps } from '../../db/schema';
import type { Platform } from '../../platform/platform';
import { metrics } from '../../observability/metrics';
import { appendEvent } from '../events';

/** What an ASL Catch hands over: `{Error, Cause}`; in AWS, Cause is Lambda's JSON error document. */
export interface CaughtError {
  Error?: string;
  Cause?: string;
}

export function describeCaught(error: CaughtError | undefined): { name: string; message: string } {
  const name = error?.Error ?? 'UnknownError';
  let message = error?.Cause ?? '';
  try {
    const parsed = JSON.parse(message) as { errorMessage?: string };
    if (parsed && typeof parsed.errorMessage === 'string') message = parsed.errorMessage;
  } catch {
    // Cause is plain text locally (aws-local-stepfunctions) and for States.* errors.
  }
  return { name, message: message.slice(0, 2000) };
}

export async function recordStepFailure(
  p: Platform,
  input: { tenantId: string; runId: string; stepId: string; error?: CaughtError },
): Promise<{ status: 'FAILED' }> {
  const error = describeCaught(input.error);
  await p.db.withTenant({ tenantId: input.tenantId }, async (tx) => {
    const [step] = await tx.select().from(runSteps).where(eq(runSteps.id, input.stepId));
    if (!step || ['FAILED', 'SUCCEEDED', 'CANCELLED'].includes(step.status)) return;
    await tx
      .update(runSteps)
      .set({ status: 'FAILED', error, finishedAt: new Date(p.now()) })
      .where(eq(runSteps.id, input.stepId));
    await appendEvent(tx, {
      tenantId: input.tenantId,
      runId: input.runId,
      stepId: step.id,
      nodeId: step.nodeId,
      type: 'step.failed',
      message: `${step.nodeId} failed: ${error.name}: ${error.message}`,
      data: error,
    });
    metrics().count('steps_finished', 1, { status: 'FAILED', type: step.type });
  });
  return { status: 'FAILED' };
}
