/**
 * User schedules in AWS (ADR 121), read back from the synthesized templates: one schedule group,
 * a scheduler role that can invoke the firing function only and write its DLQ only, and only the
 * schedules and firing functions may manage that group's schedules and pass that role.
 */
import { rmSync } from 'node:fs';
import { functions, type FunctionName, type FunctionSpec } from '../../infra/manifest';
import { lambdasByManifestName, statementsOfRole, type Statement } from './template-queries';
import { synthesize, type Synthesized } from './synth';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
}, 240_000);
afterAll(() => rmSync(synth.outdir, { recursive: true, force: true }));

const actionsOf = (s: Statement) => [s.Action].flat();
const json = (v: unknown) => JSON.stringify(v);
const workflowsStack = () => Object.keys(synth.json).find((n) => n.endsWith('-Workflows'))!;
const resourcesOf = (type: string) =>
  Object.entries(synth.json[workflowsStack()]!.Resources).filter(([, r]) => r.Type === type);

test('synthesis is clean: cdk-nag reports nothing unacknowledged', () => {
  expect(synth.synthError).toBeUndefined();
  expect(synth.violations).toEqual([]);
});

test('one schedule group; the firing function has the fixed name its schedules target', () => {
  const groups = resourcesOf('AWS::Scheduler::ScheduleGroup');
  const fire = lambdasByManifestName(synth).get('fireSchedule')!;

  expect(groups).toHaveLength(1);
  expect(groups[0][1].Properties.Name).toBe(`${workflowsStack()}-schedules`);
  expect(fire.resource.Properties.FunctionName).toBe(`${workflowsStack()}-fireSchedule`);
  expect(fire.resource.Properties.Environment.Variables).toMatchObject({
    SCHEDULE_GROUP: `${workflowsStack()}-schedules`,
    SCHEDULE_TARGET_ARN: expect.anything(),
    SCHEDULE_ROLE_ARN: expect.anything(),
    SCHEDULE_DLQ_ARN: expect.anything(),
  });
  expect(json(fire.resource.Properties.Environment.Variables.SCHEDULE_TARGET_ARN)).toContain(
    `function:${workflowsStack()}-fireSchedule`,
  );
});

test('the scheduler role is assumed by EventBridge Scheduler of this account and invokes the firing function only', () => {
  const [roleId, role] = resourcesOf('AWS::IAM::Role').find(([id]) =>
    id.startsWith('UserScheduleRole'),
  )!;
  const statements = resourcesOf('AWS::IAM::Policy')
    .filter(([, p]) => json(p.Properties.Roles).includes(roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);

  expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
    expect.objectContaining({
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': expect.anything() } },
    }),
  ]);
  expect(statements.map((s) => actionsOf(s).sort())).toEqual([
    ['lambda:InvokeFunction'],
    ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
  ]);
  expect(json(statements[0].Resource)).toContain(`function:${workflowsStack()}-fireSchedule`);
  expect(json(statements[0].Resource)).not.toContain('*');
  expect(json(statements[1].Resource)).toContain('UserScheduleDeadLetters');
});

test("only the functions that declare it manage the group's schedules and pass the scheduler role", () => {
  const lambdas = lambdasByManifestName(synth);
  const managers = (Object.entries(functions) as [FunctionName, FunctionSpec][])
    .filter(([, spec]) => spec.uses.scheduler === 'manage')
    .map(([name]) => name);
  expect(managers.sort()).toEqual(['fireSchedule', 'schedules']);

  for (const [name, fn] of lambdas) {
    const statements = statementsOfRole(synth, fn);
    const manage = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('scheduler:')));
    const pass = statements.filter((s) => actionsOf(s).includes('iam:PassRole'));
    if (!managers.includes(name as FunctionName)) {
      expect({ name, manage, pass }).toEqual({ name, manage: [], pass: [] });
      continue;
    }
    expect({ name, actions: manage.map((s) => actionsOf(s).sort()) }).toEqual({
      name,
      actions: [
        ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:UpdateSchedule'],
      ],
    });
    expect(json(manage[0].Resource)).toContain(`schedule/${workflowsStack()}-schedules/*`);
    expect(pass).toHaveLength(1);
    expect(json(pass[0].Resource)).toContain('UserScheduleRole');
    expect(pass[0]).toMatchObject({
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    });
  }
});
