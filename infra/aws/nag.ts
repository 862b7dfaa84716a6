/**
 * cdk-nag acknowledgements for singletons that CDK itself creates (their code, role and runtime are
 * CDK's, not ours). Everything about our own resources is acknowledged where the resource is made.
 *
 * cdk-nag 3.x: acknowledgements are `Validations.of(construct).acknowledge({ id, reason })`; a
 * granular finding is acknowledged by its full id, e.g. `AwsSolutions-IAM5[Resource::*]`.
 */
import { type Stack, Token, Validations, type Acknowledgment } from 'aws-cdk-lib';

/**
 * How cdk-nag renders the pseudo parameters in a finding id: the literal when the stack's environment
 * is known at synth (e.g. the CLI sets CDK_DEFAULT_REGION), `<AWS::Region>` otherwise.
 */
export function nagPseudo(stack: Stack): { partition: string; region: string; account: string } {
  const show = (value: string, name: string) =>
    Token.isUnresolved(value) ? `<AWS::${name}>` : value;
  return {
    partition: show(stack.partition, 'Partition'),
    region: show(stack.region, 'Region'),
    account: show(stack.account, 'AccountId'),
  };
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>` as cdk-nag prints it in a finding id. */
export function nagArn(stack: Stack, service: string, resource: string): string {
  const { partition, region, account } = nagPseudo(stack);
  return `arn:${partition}:${service}:${region}:${account}:${resource}`;
}

interface SingletonRule {
  /** Construct id prefix of the singleton, as a direct child of its stack. */
  readonly idPrefix: string;
  readonly what: string;
  readonly acks: (stack: Stack) => readonly Acknowledgment[];
}

// CDK always renders managed policy ARNs with `Ref AWS::Partition`, whatever the stack environment.
const BASIC_EXECUTION_ROLE =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

export const SINGLETON_RULES: readonly SingletonRule[] = [
  {
    idPrefix: 'LogRetention',
    what: 'CDK LogRetention provider (sets the retention of the Aurora postgresql log group)',
    acks: () => [
      {
        id: BASIC_EXECUTION_ROLE,
        reason:
          'CDK-provided LogRetention singleton: its role is created by aws-cdk-lib with AWSLambdaBasicExecutionRole and is not configurable.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'CDK-provided LogRetention singleton: logs:PutRetentionPolicy/DeleteRetentionPolicy are granted on "*" by aws-cdk-lib because the log group names are only known at deploy time.',
      },
    ],
  },
  {
    idPrefix: 'Custom::CDKBucketDeployment',
    what: 'CDK BucketDeployment handler (copies the console into its bucket)',
    acks: (stack) => [
      {
        id: BASIC_EXECUTION_ROLE,
        reason:
          'CDK-provided BucketDeployment singleton handler: aws-cdk-lib attaches AWSLambdaBasicExecutionRole to its role; not configurable.',
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          'CDK-provided BucketDeployment singleton handler: its runtime is pinned by aws-cdk-lib (a Python runtime bundled with the AWS CLI layer), not by us.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'CDK-provided BucketDeployment singleton: CloudFront CreateInvalidation/GetInvalidation granted by aws-cdk-lib on "*".',
      },
      ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map(
        (action) => ({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason: `CDK-provided BucketDeployment singleton: aws-cdk-lib grants ${action} (bucket grantRead/grantReadWrite) on the CDK asset bucket and the console bucket only.`,
        }),
      ),
      {
        id: `AwsSolutions-IAM5[Resource::arn:${nagPseudo(stack).partition}:s3:::cdk-hnb659fds-assets-${nagPseudo(stack).account}-${nagPseudo(stack).region}/*]`,
        reason:
          'CDK-provided BucketDeployment singleton: reads the zipped console asset from the CDK bootstrap asset bucket (object keys are content hashes).',
      },
    ],
  },
];

/** Acknowledges the findings inherent to CDK-provided singletons in `stack`. */
export function acknowledgeCdkSingletons(stack: Stack): void {
  for (const child of stack.node.children) {
    for (const rule of SINGLETON_RULES) {
      if (child.node.id.startsWith(rule.idPrefix))
        Validations.of(child).acknowledge(...rule.acks(stack));
    }
  }
}
