import { createHash, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';

/** A rule's RSA key pair; the public half in Gong's display form: bare base64 SPKI DER, no PEM armour. */
export function generateRuleKeys(): { privateKeyPem: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

export function sha256Hex(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** The JWT Gong puts in `Authorization` (no `Bearer ` prefix): RS256 over webhook_url, body_sha256, exp. */
export function signWebhookJwt(input: {
  privateKeyPem: string;
  url: string;
  body: string;
  nowMs: number;
  ttlSeconds: number;
}): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const iat = Math.floor(input.nowMs / 1000);
  const header = encode({ alg: 'RS256', typ: 'JWT' });
  const payload = encode({
    webhook_url: input.url,
    body_sha256: sha256Hex(input.body),
    iat,
    exp: iat + input.ttlSeconds,
  });
  const signature = sign(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    createPrivateKey(input.privateKeyPem),
  );
  return `${header}.${payload}.${signature.toString('base64url')}`;
}
