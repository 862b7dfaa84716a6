/**
 * Audit anchors in S3 with Object Lock in compliance mode: once written, no principal (the
 * application's roles included) can overwrite or delete an anchor until its retention ends.
 */
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { AuditAnchor, AuditAnchorStore } from './ports';

const RETENTION_DAYS = 400;

export class S3AnchorStore implements AuditAnchorStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async append(anchor: AuditAnchor): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: `anchors/${anchor.tenantId}/${String(anchor.seq).padStart(16, '0')}.json`,
        Body: JSON.stringify(anchor),
        ContentType: 'application/json',
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: new Date(Date.parse(anchor.at) + RETENTION_DAYS * 86_400_000),
        ChecksumAlgorithm: 'SHA256',
      }),
    );
  }

  async list(tenantId: string): Promise<AuditAnchor[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: `anchors/${tenantId}/`,
          ContinuationToken: token,
        }),
      );
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const out: AuditAnchor[] = [];
    for (const key of keys.sort()) {
      const obj = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      out.push(JSON.parse((await obj.Body?.transformToString()) ?? '{}') as AuditAnchor);
    }
    return out;
  }
}
