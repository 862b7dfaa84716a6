/**
 * The deploy rehearsal's own rules (infra/rehearsal): IAM evaluation, intrinsic resolution, route
 * matching and EventBridge patterns. The lane (test/aws) trusts these to refuse what AWS refuses.
 */
import { matchRoute } from '../../../infra/rehearsal/api-gateway';
import { isAllowed, Principals } from '../../../infra/rehearsal/iam';
import { matchesPattern, taskTargets } from '../../../infra/rehearsal/step-functions';
import { Resolver, secretArn } from '../../../infra/rehearsal/template';

const TENANTS = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:hishamos/tenants/*';

test('IAM: an Allow matches action (any case) and resource wildcards; anything else is denied', () => {
  // Prepare
  const statements = [
    { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: TENANTS },
    { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::docs/*' },
  ];

  // Act / Assess
  const tenantKey = TENANTS.replace('*', 't1/openai-AbCdEf');
  expect(
    isAllowed(statements, { action: 'SecretsManager:getSecretValue', resource: tenantKey }),
  ).toBe(true);
  expect(
    isAllowed(statements, { action: 'secretsmanager:PutSecretValue', resource: tenantKey }),
  ).toBe(false);
  expect(
    isAllowed(statements, {
      action: 'secretsmanager:GetSecretValue',
      resource: secretArn('hishamos/jwt', 'x'),
    }),
  ).toBe(false);
  expect(
    isAllowed(statements, { action: 's3:GetObject', resource: 'arn:aws:s3:::docs/a/b.txt' }),
  ).toBe(true);
  expect(isAllowed(statements, { action: 's3:ListBucket', resource: 'arn:aws:s3:::docs' })).toBe(
    false,
  );
  expect(
    isAllowed(statements, { action: 's3:GetObject', resource: 'arn:aws:s3:::docs-other/a' }),
  ).toBe(false);
});

test('IAM: an explicit Deny wins, and a conditional Allow never grants', () => {
  // Prepare
  const statements = [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', NotAction: 's3:GetObject', Resource: 'arn:aws:s3:::docs/*' },
    { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*', Condition: { Bool: {} } },
  ];

  // Act / Assess
  expect(isAllowed(statements, { action: 's3:PutObject', resource: 'arn:aws:s3:::docs/k' })).toBe(
    false,
  );
  expect(isAllowed(statements, { action: 's3:GetObject', resource: 'arn:aws:s3:::docs/k' })).toBe(
    true,
  );
  expect(isAllowed(statements.slice(2), { action: 'sqs:SendMessage', resource: 'q' })).toBe(false);
});

test('Principals: a refused call is recorded with who, what and on which resource', () => {
  // Prepare
  const principals = new Principals();
  const key = principals.add('meta', [
    { Effect: 'Allow', Action: 'rds-data:*', Resource: 'arn:c' },
  ]);

  // Act
  const refused = () =>
    principals.check(key, { action: 'secretsmanager:GetSecretValue', resource: 'arn:s' });

  // Assess
  expect(principals.check(key, { action: 'rds-data:ExecuteStatement', resource: 'arn:c' })).toBe(
    'meta',
  );
  expect(refused).toThrow(
    /is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:s/,
  );
  expect(principals.denials).toEqual([
    { principal: 'meta', action: 'secretsmanager:GetSecretValue', resource: 'arn:s' },
  ]);
  expect(() => principals.check('someone-else', { action: 'x:Y', resource: '*' })).toThrow(/token/);
});

test('intrinsics resolve across stacks (GetStackOutput, Join, Sub, GetAtt) to deterministic local names', () => {
  // Prepare
  const rs = new Resolver({
    Data: {
      Resources: {
        Key: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'hishamos/jwt' } },
        Table: { Type: 'AWS::DynamoDB::GlobalTable', Properties: {} },
        Docs: {
          Type: 'AWS::S3::Bucket',
          Properties: { BucketName: { 'Fn::Join': ['', ['docs-', { Ref: 'AWS::AccountId' }]] } },
        },
      },
      Outputs: {
        KeyOut: { Value: { Ref: 'Key' } },
        TableArn: { Value: { 'Fn::GetAtt': ['Table', 'Arn'] } },
      },
    },
    Api: { Resources: {} },
  });

  // Act
  const key = rs.resolve('Api', {
    'Fn::GetStackOutput': { StackName: 'Data', OutputName: 'KeyOut' },
  });
  const table = rs.resolve('Api', {
    'Fn::GetStackOutput': { StackName: 'Data', OutputName: 'TableArn' },
  });
  const sub = rs.resolve('Data', { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Docs}/*' });

  // Assess
  expect(key).toBe(secretArn('hishamos/jwt', 'Key'));
  expect(key).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:hishamos\/jwt-.{6}$/);
  expect(table).toBe('arn:aws:dynamodb:us-east-1:123456789012:table/Data-Table');
  expect(sub).toBe('arn:aws:s3:::docs-123456789012/*');
  expect(() => rs.resolve('Api', { Ref: 'Nope' })).toThrow(/no resource Nope/);
});

test('routes match as API Gateway does: literal before parameter before greedy, then $default', () => {
  // Prepare
  const routes = [
    'GET /v1/runs/{id}',
    'GET /v1/runs/stats',
    'ANY /files/{proxy+}',
    'POST /v1/runs/{id}',
  ].map((routeKey) => ({ routeKey, function: routeKey, authorizationType: 'NONE' }));

  // Act / Assess
  expect(matchRoute(routes, 'GET', '/v1/runs/stats')?.route.routeKey).toBe('GET /v1/runs/stats');
  expect(matchRoute(routes, 'GET', '/v1/runs/r1')?.params).toEqual({ id: 'r1' });
  expect(matchRoute(routes, 'PUT', '/files/a/b%20c')?.params).toEqual({ proxy: 'a/b c' });
  expect(matchRoute(routes, 'DELETE', '/v1/runs/r1')).toBeUndefined();
  expect(matchRoute(routes, 'GET', '/v1/runs/r1/extra')).toBeUndefined();
});

test('EventBridge patterns match value lists and nested fields; Task states name their function', () => {
  // Prepare
  const pattern = {
    source: ['aws.states'],
    detail: { status: ['FAILED', 'ABORTED'], stateMachineArn: ['arn:m'] },
  };
  const event = (status: string) => ({
    source: 'aws.states',
    detail: { status, stateMachineArn: 'arn:m' },
  });
  const definition = {
    States: {
      A: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: 'arn:f1' },
      },
      M: {
        Type: 'Map',
        ItemProcessor: {
          States: { B: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:1:function:f2' } },
        },
      },
    },
  };

  // Act / Assess
  expect(matchesPattern(pattern, event('ABORTED'))).toBe(true);
  expect(matchesPattern(pattern, event('SUCCEEDED'))).toBe(false);
  expect(taskTargets(definition)).toEqual({
    A: 'arn:f1',
    B: 'arn:aws:lambda:us-east-1:1:function:f2',
  });
});
