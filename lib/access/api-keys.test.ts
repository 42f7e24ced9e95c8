import { describe, expect, it } from 'vitest';
import { apiKeyMatches, generateApiKey, hashApiKey, parseApiKey } from './api-keys';

describe('API keys', () => {
  it('are random, parse back to their prefix, and match only their own hash', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).not.toBe(b.key);
    expect(parseApiKey(a.key)).toEqual({ prefix: a.prefix });
    expect(apiKeyMatches(a.key, a.secretHash)).toBe(true);
    expect(apiKeyMatches(b.key, a.secretHash)).toBe(false);
    expect(a.secretHash).toBe(hashApiKey(a.key));
    expect(a.secretHash).not.toContain(a.key.slice(12));
  });
  it('rejects malformed keys', () => {
    for (const bad of ['', 'gh_', 'Bearer x', `gh_ABCDEFGH_${'a'.repeat(43)}`, `gh_abcdefgh_${'a'.repeat(42)}`]) expect(parseApiKey(bad)).toBeNull();
  });
});
