import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Decision API keys: `gh_<prefix>_<secret>`. The prefix (8 chars) is stored in clear to find the row and to show
 * which key is which; only the SHA-256 of the whole key is stored. The key is shown once, at creation.
 */
const KEY_RE = /^gh_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export function generateApiKey(): { key: string; prefix: string; secretHash: string } {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(8);
  const prefix = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
  const key = `gh_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, secretHash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The prefix of a well-formed key, or null. */
export function parseApiKey(key: string): { prefix: string } | null {
  const m = KEY_RE.exec(key);
  return m ? { prefix: m[1]! } : null;
}

/** Constant-time comparison of a presented key with a stored hash. */
export function apiKeyMatches(key: string, secretHash: string): boolean {
  const a = Buffer.from(hashApiKey(key), 'hex');
  const b = Buffer.from(secretHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
