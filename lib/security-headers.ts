/**
 * What the browser is told about this site (set by proxy.ts on every page and route it answers), and which pages may
 * call server actions. Framework-free so it is unit-tested on its own; docs/decisions/0008-sessions-and-csp.md says why
 * each directive is what it is.
 */

/** A fresh nonce for one response: 128 random bits, base64 (what a CSP nonce-source allows). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The Content-Security-Policy of a page rendered with `nonce`. Scripts run only with the nonce (Next puts it on its
 * own scripts when the request carries this header) and what they load ('strict-dynamic'); styles may be inline
 * because Radix positions popovers with style attributes and injects <style> elements at runtime. Development adds
 * 'unsafe-eval', which React's development build needs.
 */
export function contentSecurityPolicy(nonce: string, options: { development?: boolean } = {}): string {
  const script = ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(options.development ? ["'unsafe-eval'"] : [])];
  return [
    "default-src 'self'",
    `script-src ${script.join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * HSTS for a deployment served over https (a year; subdomains are left alone because the domain may be shared), or
 * null over http, where a browser ignores the header anyway and local use must keep working.
 */
export function strictTransportSecurity(appBaseUrl: string): string | null {
  return new URL(appBaseUrl).protocol === 'https:' ? 'max-age=31536000' : null;
}

/**
 * True when a server action's `Origin` header is exactly APP_BASE_URL's origin: scheme, host and port. Next's own
 * check compares host and port only (and lets a request without Origin through), so a page served over http on the
 * same host, or a request with no Origin at all, could call actions with the session cookie.
 */
export function isAppOrigin(origin: string | null, appBaseUrl: string): boolean {
  return origin !== null && origin === new URL(appBaseUrl).origin;
}
