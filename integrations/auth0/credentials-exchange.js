/**
 * Gatehouse — Auth0 credentials-exchange Action (Machine to Machine flow).
 *
 * When an M2M client asks for an access token (client credentials grant), it asks Gatehouse's decision API whether
 * this client may get a token for this API (the resource server's identifier is the audience), in the organization
 * the token is for, and:
 *   - denies the exchange (OAuth error `invalid_request`) with Gatehouse's reason when the answer is "deny" (or
 *     Gatehouse does not know the client, API or organization: its 404 message is the reason);
 *   - otherwise puts the client's roles and its permissions on this API in the access token, as namespaced claims:
 *     https://gatehouse.app/roles, https://gatehouse.app/permissions (permission values such as "read:config"),
 *     and https://gatehouse.app/org (the Gatehouse org's slug) when the token is for an organization.
 *
 * The Auth0 organization is matched by its id first (Gatehouse orgs are linked to theirs on the platform's
 * Organizations page), then by its name as a Gatehouse slug.
 *
 * Secrets (Action → Secrets):
 *   GATEHOUSE_URL        the decision API's public URL, e.g. https://gatehouse.example.com:3001
 *   GATEHOUSE_API_KEY    a Gatehouse API key with the scope "decisions:client_credentials" (gh_xxxxxxxx_...)
 *   GATEHOUSE_FAIL_OPEN  optional, "true" to issue tokens when Gatehouse is unavailable (see below)
 *
 * When Gatehouse cannot answer, the Action FAILS CLOSED: the exchange is denied (OAuth error `server_error`) with a
 * clear reason. Gatehouse gets 2 seconds. With GATEHOUSE_FAIL_OPEN=true, an unavailable Gatehouse (no connection,
 * no answer within 2 seconds, HTTP 503 or 429) lets the token be issued without Gatehouse claims. Any other answer
 * denies, whatever the setting: a refused key or a bad request is a configuration error, and any other error (500
 * included) may have been caused by the request itself.
 *
 * Plain JavaScript for Auth0's Node runtime: global fetch and AbortController, no dependencies.
 */
'use strict';

const ROLES_CLAIM = 'https://gatehouse.app/roles';
const PERMISSIONS_CLAIM = 'https://gatehouse.app/permissions';
const ORG_CLAIM = 'https://gatehouse.app/org';
const TIMEOUT_MS = 2000;

/** The reason given with `server_error`, by what went wrong. */
const DENY_MESSAGES = {
  unavailable: 'Access could not be checked because Gatehouse is unavailable. Try again in a moment.',
  config: 'Access could not be checked because Gatehouse refused this check. An administrator must fix the Gatehouse Action settings.',
  error: 'Access could not be checked because Gatehouse answered with an error. Try again later.',
};

/** The account details Gatehouse may refuse, in words for the person signing in. */
const ACCOUNT_FIELDS = { 'user.email': 'email address', 'user.name': 'name', 'user.sub': 'user id', 'user.connection': 'connection name' };

/**
 * @typedef {object} CredentialsExchangeEvent
 * @property {{ client_id: string, name?: string }} client
 * @property {{ identifier: string }} resource_server
 * @property {{ id?: string, name: string, display_name?: string } | undefined} [organization]
 * @property {Record<string, string | undefined>} secrets
 */

/**
 * @typedef {object} CredentialsExchangeApi
 * @property {{ deny: (code: 'invalid_scope' | 'invalid_request' | 'server_error', reason: string) => unknown }} access
 * @property {{ setCustomClaim: (name: string, value: unknown) => unknown }} accessToken
 */

/**
 * @typedef {object} ClientCredentialsDecision
 * @property {boolean} allow
 * @property {{ code: string, message: string }} reason
 * @property {string[]} roles
 * @property {{ audience: string, value: string }[]} permissions
 * @property {{ slug: string, name: string } | null} [organization]
 */

/**
 * Either Gatehouse's answer, or what went wrong: `kind` says whose problem it is (GATEHOUSE_FAIL_OPEN applies only to
 * `unavailable`); `problem` is for the Action's logs; `reason` is Gatehouse's own 404 message about the client, API or
 * organization, a definite "no" passed on as the deny reason.
 *
 * @typedef {{ ok: true, data: any }
 *   | { ok: false, kind: 'unavailable' | 'config' | 'error' | 'refused' | 'account', problem: string, reason?: string }} CallResult
 */

/**
 * @param {CredentialsExchangeEvent} event
 * @param {CredentialsExchangeApi} api
 */
exports.onExecuteCredentialsExchange = async (event, api) => {
  const secrets = event.secrets || {};
  const failOpen = String(secrets.GATEHOUSE_FAIL_OPEN || '').trim().toLowerCase() === 'true';
  const audience = event.resource_server.identifier;

  /** @type {Record<string, unknown>} */
  const body = { clientId: event.client.client_id, audience };
  // Auth0 Organizations: the id finds the Gatehouse org linked to it; the name is tried as a slug where none is.
  if (event.organization && event.organization.id) body.auth0OrganizationId = event.organization.id;
  if (event.organization && event.organization.name) body.organization = event.organization.name;

  const result = await callGatehouse(secrets, '/api/v1/decisions/client-credentials', body);
  if (!result.ok) {
    if (result.kind === 'refused' && result.reason) {
      api.access.deny('invalid_request', result.reason);
      return;
    }
    if (failOpen && result.kind === 'unavailable') {
      console.warn(`Gatehouse: ${result.problem}; GATEHOUSE_FAIL_OPEN=true, so the token is issued without Gatehouse claims.`);
      return;
    }
    console.error(`Gatehouse: ${result.problem}; the token is denied${result.kind === 'unavailable' ? ' (fail closed)' : ''}.`);
    api.access.deny('server_error', DENY_MESSAGES[result.kind === 'refused' || result.kind === 'account' ? 'config' : result.kind]);
    return;
  }

  /** @type {ClientCredentialsDecision} */
  const decision = result.data;
  if (!decision.allow) {
    api.access.deny('invalid_request', decision.reason.message);
    return;
  }

  const roles = Array.isArray(decision.roles) ? decision.roles : [];
  const permissions = (Array.isArray(decision.permissions) ? decision.permissions : [])
    .filter((p) => p && p.audience === audience)
    .map((p) => p.value);
  api.accessToken.setCustomClaim(ROLES_CLAIM, roles);
  api.accessToken.setCustomClaim(PERMISSIONS_CLAIM, [...new Set(permissions)]);
  // The Gatehouse org's slug, which need not be the Auth0 organization's name when the two are linked by id.
  if (decision.organization && decision.organization.slug) api.accessToken.setCustomClaim(ORG_CLAIM, decision.organization.slug);
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
