import {
  ExecutionAlreadyExists,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { Config } from '../config';
import type { ExecutionStarter } from './ports';

const ARN_BY_MACHINE: Record<string, keyof Config> = {
  runWorkflow: 'RUN_WORKFLOW_STATE_MACHINE_ARN',
  ingestDocument: 'INGEST_DOCUMENT_STATE_MACHINE_ARN',
  runBatch: 'RUN_BATCH_STATE_MACHINE_ARN',
};

/** A standard workflow's execution ARN: its state machine's, with `execution` and the name. */
const executionArn = (stateMachineArn: string, name: string) =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

export class StepFunctionsStarter implements ExecutionStarter {
  private readonly client: SFNClient;
  constructor(
    private readonly cfg: Config,
    client?: SFNClient,
  ) {
    this.client = client ?? new SFNClient({ region: cfg.AWS_REGION });
  }

  async start(
    machine: string,
    name: string,
    input: Record<string, unknown>,
  ): Promise<{ executionId: string }> {
    const arn = this.cfg[ARN_BY_MACHINE[machine]] as string | undefined;
    if (!arn) throw new Error(`state machine ${machine} is not configured`);
    try {
      const out = await this.client.send(
        new StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify(input) }),
      );
      if (!out.executionArn) throw new Error('StartExecution answered without an executionArn');
      return { executionId: out.executionArn };
    } catch (e) {
      // Same name, same input: Step Functions' own idempotency; the retry of a start is not an error.
      if (e instanceof ExecutionAlreadyExists) return { executionId: executionArn(arn, name) };
      throw e;
    }
  }

  executionIdOf(machine: string, name: string): string | undefined {
    const arn = this.cfg[ARN_BY_MACHINE[machine]] as string | undefined;
    return arn ? executionArn(arn, name) : undefined;
  }

  async stop(executionId: string, cause: string): Promise<void> {
    await this.client.send(new StopExecutionCommand({ executionArn: executionId, cause }));
  }
}
