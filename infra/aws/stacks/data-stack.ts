/**
 * Everything that holds state: Aurora PostgreSQL (Serverless v2, Data API, pgvector) with its
 * migration trigger and the application's own database secret, the DynamoDB table of hot keys, the
 * S3 buckets and the JWT signing key. Each part is built by its own method; the methods build in the
 * stack's scope, so logical ids (and therefore the deployed resources) stay what they were.
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
import { APP_LOGIN_ROLE } from '../../../shared/db/app-login';
import { functions } from '../../manifest';
import { AlarmTopic } from '../constructs/alarm-topic';
import { DatabaseAlarms } from '../constructs/database-alarms';
import { FunctionAlarms } from '../constructs/function-alarms';
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
   * Protect stateful resources: cluster deletion protection and snapshot, RETAIN on the table, the
   * buckets (with their objects) and the secrets. Unprotected, everything is deleted with the stack,
   * bucket contents included.
   * @default true
   */
  readonly protectData?: boolean;
  /** Subscribed to the alarm topic. @default none */
  readonly alarmEmail?: string;
}

export class DataStack extends Stack implements DataRefs {
  readonly cluster: rds.DatabaseCluster;
  readonly databaseName: string;
  /** The application's own database user (not the owner): every function but migrate uses it. */
  readonly appSecret: rds.DatabaseSecret;
  readonly table: dynamodb.TableV2;
  readonly documentsBucket: s3.Bucket;
  readonly artifactsBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly jwtSigningKey: secretsmanager.Secret;
  readonly auditAnchorsBucket: s3.Bucket;
  readonly auditAnchorKey: secretsmanager.Secret;
  readonly migrate: HishamFunction;
  /** Maximum Aurora capacity units (the capacity alarm's threshold is relative to it). */
  readonly maxCapacity: number;
  /** Every HishamOS alarm notifies this topic (the other stacks get it as a prop). */
  readonly alarms: AlarmTopic;
  private readonly protect: boolean;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    this.protect = props.protectData ?? true;
    this.databaseName = props.databaseName ?? 'hishamos';
    this.maxCapacity = props.maxCapacity ?? 4;

    this.cluster = this.buildCluster(this.buildNetwork(), props.minCapacity ?? 0.5);
    this.appSecret = this.buildAppSecret();
    this.table = this.buildTable();
    this.accessLogsBucket = this.buildAccessLogsBucket();
    // The console PUTs files straight to presigned URLs; the signature, not the origin, authorises them.
    this.documentsBucket = this.buildDataBucket('Documents', 'documents', [
      {
        allowedMethods: [s3.HttpMethods.PUT],
        allowedOrigins: ['*'],
        allowedHeaders: ['*'],
        maxAge: 3000,
      },
    ]);
    this.artifactsBucket = this.buildDataBucket('Artifacts', 'artifacts');
    this.auditAnchorsBucket = this.buildAuditAnchorsBucket();
    this.jwtSigningKey = this.buildJwtSigningKey();
    this.auditAnchorKey = this.buildAuditAnchorKey();
    this.migrate = this.buildMigrationOnDeploy(props.functionsDir);
    this.alarms = new AlarmTopic(this, 'Alarms', { email: props.alarmEmail });
    new DatabaseAlarms(this, 'DatabaseAlarms', {
      cluster: this.cluster,
      maxCapacity: this.maxCapacity,
      topic: this.alarms.topic,
    });
    new FunctionAlarms(this, 'FunctionAlarms', {
      functions: [this.migrate],
      topic: this.alarms.topic,
    });
  }

  private get removalPolicy(): RemovalPolicy {
    return this.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
  }

  /**
   * Isolated subnets only: Lambdas reach the cluster through the Data API, so the VPC needs no
   * internet access and no NAT gateway.
   */
  private buildNetwork(): ec2.Vpc {
    return new ec2.Vpc(this, 'Vpc', {
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
  }

  private buildCluster(vpc: ec2.Vpc, minCapacity: number): rds.DatabaseCluster {
    const cluster = new rds.DatabaseCluster(this, 'Aurora', {
      // 16.x supports the pgvector extension (CREATE EXTENSION vector, run by the migrate function).
      engine: rds.DatabaseClusterEngine.auroraPostgres({
        version: rds.AuroraPostgresEngineVersion.VER_16_13,
      }),
      credentials: rds.Credentials.fromGeneratedSecret('hishamos_admin'),
      defaultDatabaseName: this.databaseName,
      writer: rds.ClusterInstance.serverlessV2('Writer', { autoMinorVersionUpgrade: true }),
      serverlessV2MinCapacity: minCapacity,
      serverlessV2MaxCapacity: this.maxCapacity,
      enableDataApi: true,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      port: 5433,
      storageEncrypted: true,
      deletionProtection: this.protect,
      backup: { retention: Duration.days(14), preferredWindow: '03:00-04:00' },
      preferredMaintenanceWindow: 'Sun:04:30-Sun:05:30',
      cloudwatchLogsExports: ['postgresql'],
      cloudwatchLogsRetention: logs.RetentionDays.ONE_MONTH,
      iamAuthentication: true,
      removalPolicy: this.protect ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
    });
    if (!this.protect)
      Validations.of(cluster).acknowledge({
        id: 'AwsSolutions-RDS10',
        reason:
          'Deletion protection is off only because this deployment set hishamos:protectData=false (preview and test stacks that must go away with the stack); the default, and every production deployment, keeps it on.',
      });
    // `cluster.secret` is the attachment; the generated secret itself is the cluster's `Secret` child.
    Validations.of(cluster.node.findChild('Secret')).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The owner (master) secret is used by the migrate function only, through the Data API; rotation needs a rotation Lambda inside the isolated VPC plus a Secrets Manager endpoint. The README runbook rotates it by hand (modify-db-cluster --master-user-password, then update the secret); the password never leaves Secrets Manager.',
    });
    return cluster;
  }

  /**
   * The secret of the application's own database user (migration 0007 creates the role; the migrate
   * function sets its password from this secret on every deploy). Attached to the cluster so it
   * also carries host, port and engine, like the owner secret.
   */
  private buildAppSecret(): rds.DatabaseSecret {
    const secret = new rds.DatabaseSecret(this, 'AppDatabaseSecret', {
      username: APP_LOGIN_ROLE,
      dbname: this.databaseName,
    });
    secret.attach(this.cluster);
    secret.applyRemovalPolicy(this.removalPolicy);
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The app user password is applied by the migrate function (ALTER ROLE from this secret) on every deploy, so it is rotated by putting a new random value and re-running the migrate function (README runbook); an automatic rotation Lambda would need to run inside the isolated VPC.',
    });
    return secret;
  }

  private buildTable(): dynamodb.TableV2 {
    return new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      timeToLiveAttribute: 'expiresAt',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      deletionProtection: this.protect,
      removalPolicy: this.removalPolicy,
    });
  }

  private buildAccessLogsBucket(): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: this.removalPolicy,
      // A non-empty bucket blocks its deletion: unprotected stacks empty it first; protected ones
      // keep it (RETAIN), and the README's teardown says how to empty and delete it.
      autoDeleteObjects: !this.protect,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log bucket itself; logging it into itself would loop.',
    });
    return bucket;
  }

  private buildDataBucket(
    bucketId: string,
    prefix: 'documents' | 'artifacts',
    cors?: s3.CorsRule[],
  ): s3.Bucket {
    return new s3.Bucket(this, bucketId, {
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
      removalPolicy: this.removalPolicy,
      autoDeleteObjects: !this.protect,
    });
  }

  /**
   * Signed audit chain heads: Object Lock in compliance mode, so no role (the application's
   * included) can overwrite or delete an anchor during its retention (ADR 053). Always RETAIN:
   * locked objects cannot be deleted with the stack anyway (README teardown).
   */
  private buildAuditAnchorsBucket(): s3.Bucket {
    return new s3.Bucket(this, 'AuditAnchors', {
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
  }

  private buildAuditAnchorKey(): secretsmanager.Secret {
    const key = new secretsmanager.Secret(this, 'AuditAnchorKey', {
      secretName: 'hishamos/audit-anchor-key',
      description: 'HishamOS HMAC key that signs audit chain anchors, generated at deploy',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: this.removalPolicy,
    });
    Validations.of(key).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the anchor key would make every stored anchor unverifiable; it is rotated by an operator runbook that re-anchors the current heads, not on a schedule.',
    });
    return key;
  }

  private buildJwtSigningKey(): secretsmanager.Secret {
    const key = new secretsmanager.Secret(this, 'JwtSigningKey', {
      secretName: 'hishamos/jwt-signing-key',
      description: 'HishamOS JWT signing key (HS256), generated at deploy',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: this.removalPolicy,
    });
    Validations.of(key).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the JWT signing key invalidates every live access and refresh token; it is rotated by an operator runbook (README), not on a schedule.',
    });
    return key;
  }

  /** The migrate function (the one holder of the owner secret) and the trigger that runs it. */
  private buildMigrationOnDeploy(functionsDir: string): HishamFunction {
    const migrate = new HishamFunction(this, 'migrate', {
      name: 'migrate',
      spec: functions.migrate,
      codeDir: path.join(functionsDir, 'migrate'),
      environment: environmentFor(functions.migrate, this),
    });
    grantUses(migrate, functions.migrate, this);
    new triggers.Trigger(this, 'MigrateOnDeploy', {
      handler: migrate.fn,
      // Re-runs whenever the migrate function changes; its asset carries the committed migrations,
      // so every deploy that brings a new migration applies it. Migrations are idempotent.
      executeOnHandlerChange: true,
      executeAfter: [this.cluster, this.appSecret],
      timeout: Duration.seconds(functions.migrate.timeoutSeconds),
      invocationType: triggers.InvocationType.REQUEST_RESPONSE,
    });
    return migrate;
  }
}
