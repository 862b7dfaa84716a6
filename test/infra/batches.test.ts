/**
 * The batch state machine in AWS (ADR 160), read back from the synthesized templates: its
 * definition's Distributed Map (ItemReader over a JSON list in S3, MaxConcurrency from the input,
 * every failure tolerated, a STANDARD child per item) and the role's grants: start itself,
 * describe/stop its own child executions, read the item lists of the artifacts bucket only.
 */
import { rmSync } from 'node:fs';
import { readAssemblyFile, synthesize, type Synthesized } from './synth';
import type { Statement } from './template-queries';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
}, 300_000);
afterAll(() => rmSync(synth.outdir, { recursive: true, force: true }));

const json = (v: unknown) => JSON.stringify(v);
const workflows = () => synth.json['HishamOS-Workflows']!;
const batchMachine = () =>
  Object.entries(workflows().Resources).find(
    ([, r]) =>
      r.Type === 'AWS::StepFunctions::StateMachine' &&
      r.Properties.StateMachineName === 'HishamOS-Workflows-runBatch',
  )!;

test('synthesis is clean: cdk-nag reports nothing unacknowledged', () => {
  expect(synth.synthError).toBeUndefined();
  expect(synth.violations).toEqual([]);
});

test("the batch machine's RunItems is a Distributed Map over a JSON item list in S3", () => {
  // Prepare
  const [, machine] = batchMachine();
  const definition = JSON.parse(
    readAssemblyFile(synth.outdir, `asset.${machine.Properties.DefinitionS3Location.Key}`),
  );

  // Act
  const map = definition.States.RunItems;

  // Assess
  expect(map.Type).toBe('Map');
  expect(map.ItemProcessor.ProcessorConfig).toEqual({
    Mode: 'DISTRIBUTED',
    ExecutionType: 'STANDARD',
  });
  expect(map.ItemReader).toEqual({
    Resource: 'arn:aws:states:::s3:getObject',
    ReaderConfig: { InputType: 'JSON' },
    Parameters: { 'Bucket.$': '$.bucket', 'Key.$': '$.itemsKey' },
  });
  expect(map.ItemSelector).toMatchObject({
    'index.$': '$$.Map.Item.Index',
    'input.$': '$$.Map.Item.Value',
  });
  expect(map.MaxConcurrencyPath).toBe('$.maxConcurrency');
  expect(map.ToleratedFailurePercentage).toBe(100);
  // The runs table is the result: 10,000 item results would not fit the state.
  expect(map.ResultPath).toBeNull();
  expect(map.Next).toBe('Finalize');
  expect(map.Catch[0]).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'Finalize' });
  expect(Object.keys(machine.Properties.DefinitionSubstitutions).sort()).toEqual([
    'advanceBatchItemArn',
    'finalizeBatchArn',
  ]);
});

test("the batch machine's role starts itself, manages its own children, reads item lists only", () => {
  // Prepare
  const [, machine] = batchMachine();
  const roleId = machine.Properties.RoleArn['Fn::GetAtt'][0];

  // Act
  const statements = Object.values(workflows().Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && json(r.Properties.Roles).includes(roleId))
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
  const byAction = (action: string) =>
    statements.filter((s) => [s.Action].flat().includes(action)).map((s) => json(s.Resource));

  // Assess
  expect(byAction('states:StartExecution')).toHaveLength(1);
  expect(byAction('states:StartExecution')[0]).toContain(
    'stateMachine:HishamOS-Workflows-runBatch',
  );
  expect(byAction('states:DescribeExecution')).toHaveLength(1);
  expect(byAction('states:DescribeExecution')[0]).toContain(
    'execution:HishamOS-Workflows-runBatch/*',
  );
  expect(byAction('states:StopExecution')[0]).toContain('execution:HishamOS-Workflows-runBatch/*');
  expect(byAction('s3:GetObject')).toHaveLength(1);
  expect(byAction('s3:GetObject')[0]).toMatch(/artifacts.*\/batches\/\*/);
  for (const forbidden of ['s3:PutObject', 's3:DeleteObject', 's3:ListBucket', 's3:*', 'states:*'])
    expect(byAction(forbidden)).toEqual([]);
  // Its task functions, and nothing else, are what it invokes.
  const invoked = statements.filter((s) => [s.Action].flat().includes('lambda:InvokeFunction'));
  expect(json(invoked)).toContain('advanceBatchItem');
  expect(json(invoked)).toContain('finalizeBatch');
});
