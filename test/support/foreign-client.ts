import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { Cipher, dataConverterFor } from '../../workers/payload-codec';

/**
 * A client of another deployment on the same Temporal namespace: its payloads are encrypted with a key the
 * given client's process does not hold (what listings must step around).
 */
export function foreignClient(client: Client): Client {
  return new Client({
    connection: client.connection,
    namespace: client.options.namespace,
    dataConverter: dataConverterFor(new Cipher([{ id: 'foreign-key', key: randomBytes(32) }])),
  });
}
