/**
 * Everything that holds state: Aurora PostgreSQL (Serverless v2, Data API, pgvector) with its
 * migration trigger, the DynamoDB table of hot keys, the S3 buckets and the JWT signing key.
 */
import { Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as triggers from 'aws-cdk-lib/triggers';
import type { Construct } from 'constructs';
import path from 'node:path';
import { functions } from '../../manifest';
import { HishamFunction } from '../constructs/hisham-function';
import { dataBucketName, grantUses, type DataRefs, environmentFor } from '../wiring';

export interface DataStackProps extends StackProps {
  /** Directory of the bundles (`<dir>/<name>/index.mjs`). */
  readonly functionsDir: string;
  /** @default 'hishamos' */
  readonly databaseName?: string;
  /** Aurora capacity units. @default 0.5 */
  readonly minCapacity?: number;
  /** @default 4 */
  readonly maxCapacity?: number;
  /**
   * Protect stateful resources (cluster deletion protection, RETAIN on tables, buckets, secrets).
   * @default true
   */
  readonly protectData?: boolean;
}

export class DataStack extends Stack implements DataRefs {
  readonly cluster: rds.DatabaseCluster;
  readonly databaseName: string;
  readonly table: dynamodb.TableV2;
  readonly documentsBucket: s3.Bucket;
  readonly artifactsBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly jwtSigningKey: secretsmanager.Secret;
  readonly auditAnchorsBucket: s3.Bucket;
  readonly auditAnchorKey: secretsmanager.Secret;
  readonly migrate: HishamFunction;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const protect = props.protectData ?? true;
    const removalPolicy = protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.databaseName = props.databaseName ?? 'hishamos';

    // --- Aurora --------------------------------------------------------------------------
    // Isolated subnets only: Lambdas reach the cluster through the Data API, so the VPC needs no
    // internet access and no NAT gateway.
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      flowLogs: {
        all: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(
            new logs.LogGroup(this, 'VpcFlowLogs', {
              retention: logs.RetentionDays.ONE_MONTH,
              removalPolicy: RemovalPolicy.DESTROY,
            }),
          ),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
    });

    this.cluster = new rds.DatabaseCluster(this, 'Aurora', {
      // 16.x supports the pgvector extension (CREATE EXTENSION vector, run by the migrate function).
      engine: rds.DatabaseClusterEngine.auroraPostgres({
        version: rds.AuroraPostgresEngineVersion.VER_16_13,
      }),
      credentials: rds.Credentials.fromGeneratedSecret('hishamos_admin'),
      defaultDatabaseName: this.databaseName,
      writer: rds.ClusterInstance.serverlessV2('Writer', { autoMinorVersionUpgrade: true }),
      serverlessV2MinCapacity: props.minCapacity ?? 0.5,
      serverlessV2MaxCapacity: props.maxCapacity ?? 4,
      enableDataApi: true,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      port: 5433,
      storageEncrypted: true,
      deletionProtection: protect,
      backup: { retention: Duration.days(14), preferredWindow: '03:00-04:00' },
      preferredMaintenanceWindow: 'Sun:04:30-Sun:05:30',
      cloudwatchLogsExports: ['postgresql'],
      cloudwatchLogsRetention: logs.RetentionDays.ONE_MONTH,
      iamAuthentication: true,
      removalPolicy: protect ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
    });
    // `cluster.secret` is the attachment; the generated secret itself is the cluster's `Secret` child.
    Validations.of(this.cluster.node.findChild('Secret')).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The Data API authenticates with this secret on every call; rotation needs a rotation Lambda inside the isolated VPC plus a Secrets Manager endpoint. Tracked as a follow-up; the password never leaves Secrets Manager.',
    });

    // --- DynamoDB ---------------------------------------------------------------------------
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      timeToLiveAttribute: 'expiresAt',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      deletionProtection: protect,
      removalPolicy,
    });

    // --- S3 ---------------------------------------------------------------------------------
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy,
      autoDeleteObjects: false,
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log bucket itself; logging it into itself would loop.',
    });

    const dataBucket = (
      bucketId: string,
      prefix: 'documents' | 'artifacts',
      cors?: s3.CorsRule[],
    ) =>
      new s3.Bucket(this, bucketId, {
        cors,
        // Deterministic, so grants in the other stacks can name the objects (wiring.ts, ADR 036).
        bucketName: dataBucketName(this.stackName, prefix, this.account, this.region),
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        versioned: true,
        serverAccessLogsBucket: this.accessLogsBucket,
        serverAccessLogsPrefix: `${prefix}/`,
        lifecycleRules: [
          {
            noncurrentVersionExpiration: Duration.days(30),
            abortIncompleteMultipartUploadAfter: Duration.days(7),
          },
        ],
        removalPolicy,
      });
    // The console PUTs files straight to presigned URLs; the signature, not the origin, authorises them.
    this.documentsBucket = dataBucket('Documents', 'documents', [
      {
        allowedMethods: [s3.HttpMethods.PUT],
        allowedOrigins: ['*'],
        allowedHeaders: ['*'],
        maxAge: 3000,
      },
    ]);
    this.artifactsBucket = dataBucket('Artifacts', 'artifacts');
    // Signed audit chain heads: Object Lock in compliance mode, so no role (the application's
    // included) can overwrite or delete an anchor during its retention (ADR 053).
    this.auditAnchorsBucket = new s3.Bucket(this, 'AuditAnchors', {
      bucketName: dataBucketName(this.stackName, 'auditAnchors', this.account, this.region),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(400)),
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'audit-anchors/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // --- secrets ------------------------------------------------------------------------------
    this.jwtSigningKey = new secretsmanager.Secret(this, 'JwtSigningKey', {
      secretName: 'hishamos/jwt-signing-key',
      description: 'HishamOS JWT signing key (HS256), generated at deploy',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    this.auditAnchorKey = new secretsmanager.Secret(this, 'AuditAnchorKey', {
      secretName: 'hishamos/audit-anchor-key',
      description: 'HishamOS HMAC key that signs audit chain anchors, generated at deploy',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(this.auditAnchorKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the anchor key would make every stored anchor unverifiable; it is rotated by an operator runbook that re-anchors the current heads, not on a schedule.',
    });
    Validations.of(this.jwtSigningKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the JWT signing key invalidates every live access and refresh token; it is rotated by an operator runbook (key id in the token header), not on a schedule.',
    });

    // --- migration, on deploy ---------------------------------------------------------------
    this.migrate = new HishamFunction(this, 'migrate', {
      name: 'migrate',
      spec: functions.migrate,
      codeDir: path.join(props.functionsDir, 'migrate'),
      environment: environmentFor(functions.migrate, this),
    });
    grantUses(this.migrate, functions.migrate, this);

    new triggers.Trigger(this, 'MigrateOnDeploy', {
      handler: this.migrate.fn,
      // Re-runs whenever the migrate function changes; its asset carries the committed migrations,
      // so every deploy that brings a new migration applies it. Migrations are idempotent.
      executeOnHandlerChange: true,
      executeAfter: [this.cluster],
      timeout: Duration.seconds(functions.migrate.timeoutSeconds),
      invocationType: triggers.InvocationType.REQUEST_RESPONSE,
    });
  }
}
