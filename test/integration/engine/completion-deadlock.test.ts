/**
 * A step's completion chosen as a deadlock's victim (a cancel or a settlement locking the run, then
 * the step, while the completion locks the step, then the run): its transaction runs again, so the
 * model's answer is recorded once and the model is not called a second time.
 */
import { eq, sql } from 'drizzle-orm';
import { rowsOf } from '../../../shared/db/client';
import { runSteps, usageRecords } from '../../../shared/db/schema';
import {
  agentNode,
  createSimulatorAgent,
  createWorkflow,
  runToEnd,
} from '../../support/engine-fixtures';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack({ env: { SIMULATOR_LATENCY_MS: '0' } });
  token = await stack.adminToken();
  await createSimulatorAgent(stack, token, 'victim');
  await createWorkflow(stack, token, 'victim-once', {
    nodes: [agentNode('only', 'victim', '{{input.topic}}')],
  });
  // The server aborts the first statement that records a step's success with the error it gives
  // a deadlock's victim (SQLSTATE 40P01), as a lock cycle would: a trigger on the event that
  // statement inserts. A sequence counts the statements that tried (its values outlive rollbacks).
  // With the completion as its transaction's last statement (ADRs 176, 178), this is where a real
  // deadlock would surface.
  for (const statement of [
    'create sequence success_tries',
    `create function abort_first_success() returns trigger language plpgsql security definer as $$
     begin
       if new.type = 'step.succeeded' and nextval('success_tries') = 1 then
         raise exception 'deadlock detected' using errcode = '40P01';
       end if;
       return new;
     end $$`,
    `create trigger abort_first_success before insert on run_events
     for each row execute function abort_first_success()`,
  ])
    await stack.platform.db.owner.execute(sql.raw(statement));
});
afterAll(async () => stack?.close());

test('the completion runs again: one answer recorded, one model call, the run succeeds', async () => {
  // Act
  const runId = await runToEnd(stack, token, 'victim-once', { topic: 'deadlock' });
  const run = await stack.call('GET', `/v1/runs/${runId}`, { token });

  // Assess: the statement ran twice, the first one aborted
  const [tries] = rowsOf<{ n: number }>(
    await stack.platform.db.owner.execute(sql`select last_value::int as n from success_tries`),
  );
  expect(tries.n).toBe(2);
  expect(run.body.status).toBe('SUCCEEDED');
  const steps = await stack.platform.db.owner
    .select({ status: runSteps.status })
    .from(runSteps)
    .where(eq(runSteps.runId, runId));
  expect(steps).toEqual([{ status: 'SUCCEEDED' }]);
  const usage = await stack.platform.db.owner
    .select({ outcome: usageRecords.outcome, attempt: usageRecords.attempt })
    .from(usageRecords)
    .where(eq(usageRecords.runId, runId));
  expect(usage).toEqual([{ outcome: 'success', attempt: 1 }]);
});
