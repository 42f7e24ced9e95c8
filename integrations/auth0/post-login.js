/**
 * Gatehouse — Auth0 post-login Action (Login flow).
 *
 * At every login (and refresh-token exchange) it asks Gatehouse's decision API whether this user may reach this
 * application, in the organization they sign in to, and:
 *   - denies the login with Gatehouse's reason when the answer is "deny" (or Gatehouse does not know the application
 *     or organization: its 404 message is the reason);
 *   - otherwise puts the active organization's roles and permissions in the ID and access tokens, as namespaced
 *     claims: https://gatehouse.app/roles, /permissions, /org, /orgs and /connection.
 *
 * Secrets (Action → Secrets):
 *   GATEHOUSE_URL        the decision API's public URL, e.g. https://gatehouse.example.com:3001
 *   GATEHOUSE_API_KEY    a Gatehouse API key with the scope "decisions:login" (gh_xxxxxxxx_...)
 *   GATEHOUSE_FAIL_OPEN  optional, "true" to let logins through when Gatehouse is unavailable (see below)
 *
 * When Gatehouse cannot answer, the Action FAILS CLOSED: the login is denied with a clear reason. Gatehouse gets
 * 2 seconds. With GATEHOUSE_FAIL_OPEN=true, an unavailable Gatehouse (no connection, timeout, 5xx, 429) lets the
 * login through without Gatehouse claims, so backends that ask Gatehouse per request still decide. A Gatehouse
 * that answers but refuses the call (bad or revoked key, missing scope, bad input) is a configuration error and
 * always denies: failing open there would let everyone in, unnoticed, until someone fixes the key.
 *
 * Plain JavaScript for Auth0's Node runtime: global fetch and AbortController, no dependencies.
 */
'use strict';

const CLAIM_NAMESPACE = 'https://gatehouse.app/';
const CONNECTION_CLAIM = 'https://gatehouse.app/connection';
const TIMEOUT_MS = 2000;

/**
 * @typedef {object} PostLoginEvent
 * @property {{ user_id: string, email?: string, email_verified?: boolean, name?: string }} user
 * @property {{ name: string } | undefined} [connection]
 * @property {{ client_id: string, name?: string }} client
 * @property {{ id?: string, name: string, display_name?: string } | undefined} [organization]
 * @property {Record<string, string | undefined>} secrets
 */

/**
 * @typedef {object} PostLoginApi
 * @property {{ deny: (reason: string) => unknown }} access
 * @property {{ setCustomClaim: (name: string, value: unknown) => unknown }} idToken
 * @property {{ setCustomClaim: (name: string, value: unknown) => unknown }} accessToken
 */

/**
 * @typedef {object} LoginDecision
 * @property {boolean} allow
 * @property {{ code: string, message: string }} reason
 * @property {string[]} roles
 * @property {{ audience: string, value: string }[]} permissions
 * @property {{ slug: string, name: string, tier: string } | null} organization
 * @property {Record<string, unknown>} claims
 */

/**
 * `refusal` is Gatehouse's own answer when it does not know the user, client or organization (404 NOT_FOUND):
 * a definite "no", passed on as the deny reason.
 *
 * @typedef {{ ok: true, data: any } | { ok: false, transient: boolean, problem: string, refusal?: string }} CallResult
 */

/**
 * @param {PostLoginEvent} event
 * @param {PostLoginApi} api
 */
exports.onExecutePostLogin = async (event, api) => {
  const secrets = event.secrets || {};
  const failOpen = String(secrets.GATEHOUSE_FAIL_OPEN || '').trim().toLowerCase() === 'true';

  // Gatehouse keys people by email too (invitations, default-role rules), so an account without one cannot be placed.
  if (!event.user.email) {
    api.access.deny('This account has no email address, which Gatehouse needs to decide access. Sign in with an account that has one.');
    return;
  }

  /** @type {Record<string, unknown>} */
  const user = { sub: event.user.user_id, email: event.user.email };
  if (typeof event.user.email_verified === 'boolean') user.email_verified = event.user.email_verified;
  if (event.connection && event.connection.name) user.connection = event.connection.name;
  // Gatehouse accepts names up to 200 characters; a longer display name must not block the login.
  if (event.user.name) user.name = String(event.user.name).slice(0, 200);

  /** @type {Record<string, unknown>} */
  const body = { user, clientId: event.client.client_id };
  // Auth0 Organizations: the organization's name is its Gatehouse slug.
  if (event.organization && event.organization.name) body.organization = event.organization.name;

  const result = await callGatehouse(secrets, '/api/v1/decisions/login', body);
  if (!result.ok && result.refusal) {
    api.access.deny(result.refusal);
    return;
  }
  if (!result.ok) {
    if (failOpen && result.transient) {
      console.warn(`Gatehouse: ${result.problem}; GATEHOUSE_FAIL_OPEN=true, so the login goes on without Gatehouse claims.`);
      return;
    }
    console.error(`Gatehouse: ${result.problem}; the login is denied (fail closed).`);
    api.access.deny(
      result.transient
        ? 'Access could not be checked because Gatehouse is unavailable. Try again in a moment.'
        : 'Access could not be checked because Gatehouse refused this sign-in check. An administrator must fix the Gatehouse Action settings.',
    );
    return;
  }

  /** @type {LoginDecision} */
  const decision = result.data;
  if (!decision.allow) {
    api.access.deny(decision.reason.message);
    return;
  }

  const claims = decision.claims && typeof decision.claims === 'object' ? decision.claims : {};
  for (const name of Object.keys(claims)) {
    const value = claims[name];
    // Only Gatehouse's own namespace, and no empty claims (Auth0 would issue `null`).
    if (!name.startsWith(CLAIM_NAMESPACE) || value === null || value === undefined) continue;
    api.idToken.setCustomClaim(name, value);
    api.accessToken.setCustomClaim(name, value);
  }
  if (event.connection && event.connection.name) {
    api.idToken.setCustomClaim(CONNECTION_CLAIM, event.connection.name);
    api.accessToken.setCustomClaim(CONNECTION_CLAIM, event.connection.name);
  }
};

/**
 * POSTs `body` to Gatehouse and returns its JSON answer, or what went wrong. Never throws.
 * `transient` is true when Gatehouse is unavailable (no connection, timeout, 5xx, 429) rather than refusing.
 *
 * @param {Record<string, string | undefined>} secrets
 * @param {string} path
 * @param {unknown} body
 * @returns {Promise<CallResult>}
 */
async function callGatehouse(secrets, path, body) {
  const baseUrl = String(secrets.GATEHOUSE_URL || '').trim().replace(/\/+$/, '');
  const apiKey = String(secrets.GATEHOUSE_API_KEY || '').trim();
  if (!baseUrl || !apiKey) {
    return { ok: false, transient: false, problem: 'the secrets GATEHOUSE_URL and GATEHOUSE_API_KEY must both be set' };
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(baseUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    /** @type {any} */
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (!response.ok) {
      const error = data && typeof data.error === 'object' && data.error ? data.error : {};
      const code = typeof error.code === 'string' ? error.code : 'no error code';
      const problem = `Gatehouse answered HTTP ${response.status} (${code})`;
      if (response.status === 404 && code === 'NOT_FOUND' && typeof error.message === 'string') {
        return { ok: false, transient: false, problem, refusal: error.message };
      }
      return { ok: false, transient: response.status >= 500 || response.status === 429, problem };
    }
    if (!data || typeof data.allow !== 'boolean' || !data.reason || typeof data.reason.message !== 'string') {
      return { ok: false, transient: false, problem: `Gatehouse answered HTTP ${response.status} without a decision (is GATEHOUSE_URL the decision API?)` };
    }
    return { ok: true, data };
  } catch (error) {
    const timedOut = controller.signal.aborted;
    const detail = timedOut ? `no answer within ${TIMEOUT_MS} ms` : error instanceof Error ? error.message : String(error);
    return { ok: false, transient: true, problem: `Gatehouse is unreachable at ${baseUrl} (${detail})` };
  } finally {
    clearTimeout(timer);
  }
}
