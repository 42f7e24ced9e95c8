import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isAppOrigin, newNonce, strictTransportSecurity } from './security-headers';

/** Directives as a map, so a test names what it checks rather than matching the whole string. */
function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe('contentSecurityPolicy', () => {
  it('allows scripts only with the nonce (and what they load), and nothing framed, embedded or rebased', () => {
    const csp = directives(contentSecurityPolicy('abc123=='));
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(contentSecurityPolicy('n')).not.toContain('unsafe-eval');
  });

  it("adds 'unsafe-eval' for React's development build only", () => {
    expect(directives(contentSecurityPolicy('n', { development: true })).get('script-src')).toContain("'unsafe-eval'");
  });

  it('puts the nonce where Next looks for it (the first nonce-source of script-src)', () => {
    // next/dist/server/app-render/get-script-nonce-from-header.js: /^'nonce-([A-Za-z0-9+/_-]+={0,2})'$/
    const nonce = newNonce();
    expect(nonce).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
    expect(newNonce()).not.toBe(nonce);
  });
});

describe('strictTransportSecurity', () => {
  it('is sent for an https deployment and not for http', () => {
    expect(strictTransportSecurity('https://gatehouse.example.com')).toBe('max-age=31536000');
    expect(strictTransportSecurity('http://localhost:3000')).toBeNull();
  });
});

describe('isAppOrigin', () => {
  const base = 'https://gatehouse.example.com';
  it('accepts exactly the origin of APP_BASE_URL', () => {
    expect(isAppOrigin('https://gatehouse.example.com', base)).toBe(true);
    expect(isAppOrigin('https://gatehouse.example.com', `${base}/`)).toBe(true);
    expect(isAppOrigin('http://localhost:3000', 'http://localhost:3000')).toBe(true);
  });

  it('refuses another scheme, port or host, a missing Origin and the opaque origin', () => {
    for (const origin of [
      'http://gatehouse.example.com',
      'https://gatehouse.example.com:8443',
      'https://evil.example.com',
      'https://gatehouse.example.com.evil.example',
      'null',
      '',
      null,
    ]) {
      expect(isAppOrigin(origin, base), String(origin)).toBe(false);
    }
  });
});
