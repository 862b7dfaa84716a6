/**
 * The console: a private S3 bucket behind CloudFront (origin access control), SPA fallbacks, security
 * headers, the built web/dist, and a `config.json` written at deploy time with the API URL, so one
 * console build serves every stage.
 */
import {
  CfnOutput,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  Validations,
  type StackProps,
} from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';

export interface WebStackProps extends StackProps {
  /** The API base URL the console calls (written to /config.json). */
  readonly apiUrl: string;
  /** Base URL of the streamed routes (a function URL; written to /config.json). @default apiUrl */
  readonly streamUrl?: string;
  /**
   * Host names the console PUTs uploads to (the documents bucket's regional endpoint, where
   * presigned URLs point), allowed in connect-src.
   * @default none
   */
  readonly storageHosts?: string[];
  /** Directory of the built console (web/dist, or the placeholder when it was not built). */
  readonly webDistDir: string;
  /**
   * Keep the CDN access logs when the stack is deleted (RETAIN), as the data stack keeps its data.
   * Unprotected, the log bucket is emptied and deleted with the stack.
   * @default true
   */
  readonly protectData?: boolean;
}

export class WebStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const protect = props.protectData ?? true;

    const logs = new s3.Bucket(this, 'CdnLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with an ACL grant, so ACLs must be enabled on this bucket.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      // A non-empty bucket blocks stack deletion: retained when protected (README teardown empties
      // it), otherwise emptied by CDK's auto-delete handler and deleted.
      removalPolicy: protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !protect,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the CloudFront and console-bucket access logs; logging it into itself would loop.',
    });

    this.bucket = new s3.Bucket(this, 'Console', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'console-bucket/',
      // Rebuildable from source at any time: no versioning, emptied and removed with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'HishamOS console security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            // React Flow and charts set inline style attributes.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            // The console talks to its API (host of the API URL, resolved at deploy), the run
            // streams' function URL, and the storage presigned uploads go to (ADR 074).
            [
              "connect-src 'self'",
              ...[props.apiUrl, props.streamUrl ?? props.apiUrl].map(
                (u) => `https://${Fn.select(2, Fn.split('/', u))}`,
              ),
              ...(props.storageHosts ?? []).map((h) => `https://${h}`),
            ].join(' '),
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "object-src 'none'",
          ].join('; '),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          preload: false,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
    });

    // The API reference is a directory page (/docs/index.html with relative assets): /docs gets
    // the trailing slash, /docs/ its index, as the local server does (ADR 072).
    const docsIndex = new cloudfront.Function(this, 'DocsIndex', {
      comment: 'HishamOS: /docs -> /docs/, /docs/ -> /docs/index.html',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(
        [
          'function handler(event) {',
          '  var request = event.request;',
          "  if (request.uri === '/docs') {",
          "    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '/docs/' } } };",
          '  }',
          "  if (request.uri === '/docs/') request.uri = '/docs/index.html';",
          '  return request;',
          '}',
        ].join('\n'),
      ),
    });

    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: 'HishamOS console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
        functionAssociations: [
          { function: docsIndex, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      // The console is a single-page app: unknown paths render index.html (the S3 origin answers 403
      // for a missing key because the distribution may not list the bucket).
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      })),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'The console serves a worldwide engineering audience; access is controlled by authentication, not geography.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'The distribution serves static, public console assets only (no data, no API); a WAF web ACL for CloudFront must live in us-east-1 and is left to the operator (attach via webAclId) rather than imposed by default.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'Without a custom domain the distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the minimum protocol at TLSv1; pass a certificate and TLSv1.2_2021 as the minimum protocol when a custom domain is attached.',
    });

    const deployment = new s3deploy.BucketDeployment(this, 'DeployConsole', {
      destinationBucket: this.bucket,
      sources: [
        s3deploy.Source.asset(props.webDistDir),
        s3deploy.Source.jsonData('config.json', {
          apiUrl: props.apiUrl,
          streamUrl: props.streamUrl ?? props.apiUrl,
        }),
      ],
      prune: true,
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 512,
    });
    // The deployment's (shared, CDK-provided) handler role gets write access to every console object.
    Validations.of(deployment.handlerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
      reason:
        'BucketDeployment replaces the whole console (prune), so its handler writes and deletes any object key in the console bucket, and only there.',
    });

    new CfnOutput(this, 'ConsoleUrl', {
      value: `https://${this.distribution.distributionDomainName}`,
      description: 'HishamOS console',
    });
  }
}
