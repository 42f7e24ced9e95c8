/**
 * Gatehouse — Auth0 post-login Action (Login flow).
 *
 * At every login and refresh-token exchange it asks Gatehouse's decision API whether this user may reach this
 * application, in the organization they sign in to, and:
 *   - denies the login with Gatehouse's reason when the answer is "deny" (or Gatehouse does not know the
 *     organization, or the application while the deployment denies unknown applications: its 404 message is the
 *     reason);
 *   - otherwise puts the active organization's roles, the organization and the connection in the ID and access
 *     tokens as namespaced claims (https://gatehouse.app/roles, /org, /orgs and /connection), and, in the access
 *     token only, the permissions of the API the token is for (https://gatehouse.app/permissions; none without an
 *     API). A login Gatehouse lets through for an application it does not know gets no claims.
 *
 * The Auth0 organization is matched by its id first (Gatehouse orgs are linked to theirs on the platform's
 * Organizations page), then by its name as a Gatehouse slug. A refresh-token exchange is decided like a sign-in (a
 * blocked user loses access on refresh) and recorded as a refresh.
 *
 * Secrets (Action → Secrets):
 *   GATEHOUSE_URL        the decision API's public URL, e.g. https://gatehouse.example.com:3001
 *   GATEHOUSE_API_KEY    a Gatehouse API key with the scope "decisions:login" (gh_xxxxxxxx_...)
 *   GATEHOUSE_FAIL_OPEN  optional, "true" to let logins through when Gatehouse is unavailable (see below)
 *
 * When Gatehouse cannot answer, the Action FAILS CLOSED: the login is denied with a clear reason. Gatehouse gets
 * 2 seconds. With GATEHOUSE_FAIL_OPEN=true, an unavailable Gatehouse (no connection, no answer within 2 seconds,
 * HTTP 503 or 429) lets the login through without Gatehouse claims, so backends that ask Gatehouse per request still
 * decide. Any other answer denies, whatever the setting: a refused key or a bad request is a configuration error, a
 * refused account detail is the account's, and any other error (500 included) may have been caused by the request
 * itself — failing open there would let a denied login through.
 *
 * Plain JavaScript for Auth0's Node runtime: global fetch and AbortController, no dependencies.
 */
'use strict';

const CLAIM_NAMESPACE = 'https://gatehouse.app/';
const PERMISSIONS_CLAIM = 'https://gatehouse.app/permissions';
const CONNECTION_CLAIM = 'https://gatehouse.app/connection';
const REFRESH_PROTOCOL = 'oauth2-refresh-token';
const TIMEOUT_MS = 2000;

/** What the person signing in reads when the login is denied, by what went wrong. */
const DENY_MESSAGES = {
  unavailable: 'Access could not be checked because Gatehouse is unavailable. Try again in a moment.',
  config: 'Access could not be checked because Gatehouse refused this sign-in check. An administrator must fix the Gatehouse Action settings.',
  error: 'Access could not be checked because Gatehouse answered with an error. Try again later; if it keeps happening, tell your administrator.',
};

/** The account details Gatehouse may refuse, in words for the person signing in. */
const ACCOUNT_FIELDS = { 'user.email': 'email address', 'user.name': 'name', 'user.sub': 'user id', 'user.connection': 'connection name' };

/**
 * @typedef {object} PostLoginEvent
 * @property {{ user_id: string, email?: string, email_verified?: boolean, name?: string }} user
 * @property {{ name: string } | undefined} [connection]
 * @property {{ client_id: string, name?: string }} client
 * @property {{ id?: string, name?: string, display_name?: string } | undefined} [organization]
 * @property {{ identifier?: string } | undefined} [resource_server]
 * @property {{ protocol?: string } | undefined} [transaction]
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
 * Either Gatehouse's answer, or what went wrong: `kind` says whose problem it is (and so what the person signing in
 * reads and whether GATEHOUSE_FAIL_OPEN may apply: only to `unavailable`); `problem` is for the Action's logs; `reason`
 * is Gatehouse's own words when they are meant for the person (a 404 about the organization or application, or the
 * account details it refused).
 *
 * @typedef {{ ok: true, data: any }
 *   | { ok: false, kind: 'unavailable' | 'config' | 'error' | 'refused' | 'account', problem: string, reason?: string }} CallResult
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
  // Auth0 Organizations: the id finds the Gatehouse org linked to it; the name is tried as a slug where none is.
  if (event.organization && event.organization.id) body.auth0OrganizationId = event.organization.id;
  if (event.organization && event.organization.name) body.organization = event.organization.name;
  // The API the access token is for: only its permissions go in the token.
  const audience = event.resource_server && event.resource_server.identifier ? String(event.resource_server.identifier) : undefined;
  if (audience) body.audience = audience;
  if (event.transaction && event.transaction.protocol === REFRESH_PROTOCOL) body.kind = 'refresh';

  const result = await callGatehouse(secrets, '/api/v1/decisions/login', body);
  if (!result.ok) {
    if (result.kind === 'refused' && result.reason) {
      api.access.deny(result.reason);
      return;
    }
    if (failOpen && result.kind === 'unavailable') {
      console.warn(`Gatehouse: ${result.problem}; GATEHOUSE_FAIL_OPEN=true, so the login goes on without Gatehouse claims.`);
      return;
    }
    console.error(`Gatehouse: ${result.problem}; the login is denied${result.kind === 'unavailable' ? ' (fail closed)' : ''}.`);
    api.access.deny(
      result.kind === 'account'
        ? `Access could not be checked because Gatehouse cannot accept this account's ${result.reason || 'details'}. Sign in with another account, or ask your administrator for help.`
        : DENY_MESSAGES[result.kind === 'refused' ? 'config' : result.kind],
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
    if (name === PERMISSIONS_CLAIM) {
      // Permissions belong to one API: only in an access token for it, never in the ID token.
      if (audience) api.accessToken.setCustomClaim(name, value);
      continue;
    }
    api.idToken.setCustomClaim(name, value);
    api.accessToken.setCustomClaim(name, value);
  }
  // An application Gatehouse let through without knowing it gets no Gatehouse claims at all.
  if (decision.reason.code !== 'unknown_application_allowed' && event.connection && event.connection.name) {
    api.idToken.setCustomClaim(CONNECTION_CLAIM, event.connection.name);
    api.accessToken.setCustomClaim(CONNECTION_CLAIM, event.connection.name);
  }
};

/**
 * POSTs `body` to Gatehouse and returns its JSON answer, or what went wrong. Never throws.
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
    return { ok: false, kind: 'config', problem: 'the secrets GATEHOUSE_URL and GATEHOUSE_API_KEY must both be set' };
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
      const message = typeof error.message === 'string' ? error.message : '';
      const problem = `Gatehouse answered HTTP ${response.status} (${code})${message ? `: ${message}` : ''}`;
      const status = response.status;
      // Only these mean "Gatehouse is unavailable right now"; see GATEHOUSE_FAIL_OPEN above.
      if (status === 503 || status === 429) return { ok: false, kind: 'unavailable', problem };
      if (status === 404 && code === 'NOT_FOUND' && message) return { ok: false, kind: 'refused', problem, reason: message };
      if (status === 400 && code === 'BAD_INPUT') {
        const fields = Array.isArray(error.fields) ? error.fields.filter((f) => typeof f === 'string') : [];
        // Every refused field is the account's own (user.email, user.name, ...): not a setup problem.
        if (fields.length > 0 && fields.every((f) => f.startsWith('user.'))) {
          const words = [...new Set(fields.map((f) => ACCOUNT_FIELDS[f] || 'details'))].join(' and ');
          return { ok: false, kind: 'account', problem, reason: words };
        }
        return { ok: false, kind: 'config', problem };
      }
      if (status === 401 || status === 403 || status === 404 || status === 405) return { ok: false, kind: 'config', problem };
      return { ok: false, kind: 'error', problem };
    }
    if (!data || typeof data.allow !== 'boolean' || !data.reason || typeof data.reason.message !== 'string') {
      return { ok: false, kind: 'config', problem: `Gatehouse answered HTTP ${response.status} without a decision (is GATEHOUSE_URL the decision API?)` };
    }
    return { ok: true, data };
  } catch (error) {
    const timedOut = controller.signal.aborted;
    const detail = timedOut ? `no answer within ${TIMEOUT_MS} ms` : error instanceof Error ? error.message : String(error);
    return { ok: false, kind: 'unavailable', problem: `Gatehouse is unreachable at ${baseUrl} (${detail})` };
  } finally {
    clearTimeout(timer);
  }
}
