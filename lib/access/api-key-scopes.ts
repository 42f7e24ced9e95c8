/**
 * What a decision API key may be used for, and the words the console shows for each. Kept apart from api-keys.ts
 * (which hashes keys with node:crypto) so a client component can import them without pulling a crypto polyfill
 * into the browser: the bundler's polyfill brought vm-browserify, whose eval the CSP refuses (and reports).
 */
export const API_KEY_SCOPES = ['decisions:login', 'decisions:client_credentials', 'check', 'import'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const API_KEY_SCOPE_LABELS: Record<ApiKeyScope, string> = {
  'decisions:login': 'Login decisions (the post-login Action)',
  'decisions:client_credentials': 'Client-credentials decisions (the credentials-exchange Action)',
  check: 'Per-request checks from backends (/check and /check/batch)',
  import: 'Bulk imports of people (POST /api/v1/imports, GET /api/v1/imports/{id})',
};
