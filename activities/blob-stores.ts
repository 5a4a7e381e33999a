import path from 'node:path';
import type { BlobsConfig } from '../config/schema';
import { LocalFileBlobStore, type BlobStore } from './blob-store';
import { S3BlobStore } from './s3-blob-store';

/**
 * The one place the blob store is chosen: S3 (or an S3-compatible store) when `blobs.s3` is configured,
 * shared by a fleet; otherwise files under `<dataDir>/blobs`, for one machine.
 */
export function createBlobStore(config: BlobsConfig, dataDir: string): BlobStore {
  if (config.s3) return new S3BlobStore(config.s3);
  return new LocalFileBlobStore(path.join(dataDir, 'blobs'));
}
