import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * Headers every answer carries, and a Content-Security-Policy on pages: scripts and styles only from the
 * page itself, each inline block allowed by its own hash (so an injected one would not run), no framing
 * (clickjacking), no plugins.
 */
export function addSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html') && typeof payload === 'string') {
      reply.header('content-security-policy', pagePolicy(payload));
    }
    return payload;
  });
}

function pagePolicy(html: string): string {
  const scripts = inlineHashes(html, 'script');
  const styles = inlineHashes(html, 'style');
  return [
    "default-src 'self'",
    `script-src 'self' ${scripts.join(' ')}`.trim(),
    `style-src 'self' ${styles.join(' ')}`.trim(),
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    // No form-action: the connect form goes to this server, which redirects to Gong's authorize page,
    // and browsers apply form-action to redirects too.
    "frame-ancestors 'none'",
  ].join('; ');
}

function inlineHashes(html: string, tag: 'script' | 'style'): string[] {
  const hashes = new Set<string>();
  const pattern = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'gi');
  for (const match of html.matchAll(pattern)) {
    const body = match[1] ?? '';
    if (body.trim() === '') continue;
    hashes.add(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
  }
  return [...hashes];
}
