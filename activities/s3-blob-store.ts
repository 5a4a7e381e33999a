import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { z } from 'zod';
import type { S3BlobStoreConfigSchema } from '../config/schema';
import { assertBlobKey, BlobNotFoundError, type BlobStore, type StoredBlob } from './blob-store';

export type S3BlobStoreSettings = z.infer<typeof S3BlobStoreConfigSchema>;

/**
 * Blobs in S3, or any store speaking S3's API (MinIO, R2, GCS interoperability): every worker of a fleet
 * reads what any other wrote. Credentials come from the SDK's usual chain (AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY, AWS_PROFILE, web identity, instance and task roles), never from temporal.yaml.
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;

  constructor(
    private readonly settings: S3BlobStoreSettings,
    client?: S3Client,
  ) {
    // gongflow supports the Node versions it declares; the SDK's notice about its own future versions is
    // for whoever upgrades the SDK, not a warning for every gongflow process to print.
    process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
    this.client =
      client ??
      new S3Client({
        region: settings.region,
        forcePathStyle: settings.forcePathStyle,
        ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      });
  }

  get location(): string {
    return `s3://${this.settings.bucket}/${this.settings.prefix}`;
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.settings.bucket,
        Key: this.objectKey(key),
        Body: data,
        ContentType: 'application/octet-stream',
      }),
    );
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }),
      );
      return (await answer.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey) throw new BlobNotFoundError(key, this.location);
      throw error;
    }
  }

  async *list(prefix: string): AsyncIterable<StoredBlob> {
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.settings.bucket,
          Prefix: `${this.settings.prefix}${prefix}`,
          ...(continuationToken ? { ContinuationToken: continuationToken } : {}),
        }),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        yield {
          key: object.Key.slice(this.settings.prefix.length),
          lastModified: object.LastModified ?? new Date(0),
        };
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
  }

  async delete(key: string): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }),
    );
  }

  close(): void {
    this.client.destroy();
  }

  private objectKey(key: string): string {
    assertBlobKey(key);
    return `${this.settings.prefix}${key}`;
  }
}
