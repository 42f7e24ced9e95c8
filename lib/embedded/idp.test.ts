import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from './demo-accounts';
import { CONNECTION_CLAIM, escapeHtml, startIdp, subForNewAccount } from './idp';

// A real provider on loopback, driven with plain fetch: manual redirects, cookies carried by hand.

const APP = 'http://localhost:3999';
const CALLBACK = `${APP}/auth/callback`;
const CLIENT_ID = 'gatehouse-test';
const CLIENT_SECRET = 'test-secret-' + randomBytes(8).toString('hex');

let idp: { issuer: string; close(): Promise<void> };
let port: number;
let discovery: Record<string, unknown>;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const p = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(p));
    });
  });
}

class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => {
        const [key = '', val = ''] = a.split('=');
        const k = key.trim().toLowerCase();
        return (k === 'expires' && Date.parse(val) <= Date.now()) || (k === 'max-age' && Number(val) <= 0);
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
  }
}

async function get(url: string | URL, jar: CookieJar): Promise<Response> {
  const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
  jar.store(res);
  return res;
}

async function post(url: string | URL, jar: CookieJar, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  jar.store(res);
  return res;
}

/** Follows redirects (GET) until one points at the app; returns that URL. */
async function followToApp(first: Response, from: string, jar: CookieJar): Promise<URL> {
  let res = first;
  let current = from;
  for (let hops = 0; hops < 10; hops++) {
    expect([302, 303], `unexpected ${res.status} from ${current}: ${await res.clone().text()}`).toContain(res.status);
    const next = new URL(res.headers.get('location')!, current);
    if (next.origin === APP) return next;
    current = next.href;
    res = await get(current, jar);
  }
  throw new Error('too many redirects');
}

/** The fields of the <form> that contains `marker`, as a browser would submit them (hidden inputs + the given fields). */
function formContaining(html: string, marker: string): { action: string; fields: Record<string, string> } {
  const form = html.split('<form').find((chunk) => chunk.includes(marker));
  if (!form) throw new Error(`no form containing ${marker}`);
  const action = /action="([^"]+)"/.exec(form)?.[1];
  if (!action) throw new Error('form has no action');
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/g)) {
    fields[m[1]!] = m[2]!.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  }
  return { action, fields };
}

async function startAuthorization(jar: CookieJar, scope = 'openid profile email offline_access') {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(8).toString('hex');
  const nonce = randomBytes(8).toString('hex');
  const url = new URL(String(discovery.authorization_endpoint));
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope,
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  const res = await get(url, jar);
  expect(res.status).toBe(303);
  const interactionUrl = new URL(res.headers.get('location')!, url).href;
  expect(interactionUrl).toMatch(new RegExp(`^http://localhost:${port}/interaction/[A-Za-z0-9_-]+$`));
  const page = await get(interactionUrl, jar);
  expect(page.status).toBe(200);
  return { verifier, state, nonce, interactionUrl, html: await page.text() };
}

/** An authorization request for a browser already signed in at the provider: redirects straight back to the app. */
async function startAuthorizationExpectingRedirect(jar: CookieJar): Promise<URL> {
  const url = new URL(String(discovery.authorization_endpoint));
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope: 'openid profile email offline_access',
    state: 'again',
    code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  return followToApp(await get(url, jar), url.href, jar);
}

async function exchange(code: string, verifier: string, auth: 'post' | 'basic') {
  const form: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier };
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth === 'post') Object.assign(form, { client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
  else headers.authorization = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
  const res = await fetch(String(discovery.token_endpoint), { method: 'POST', headers, body: new URLSearchParams(form) });
  const body = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

/** Verifies the RS256 signature against the provider's JWKS and returns the payload. */
async function verifiedClaims(idToken: string): Promise<Record<string, unknown>> {
  const [header = '', payload = '', signature = ''] = idToken.split('.');
  const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string; alg: string };
  expect(alg).toBe('RS256');
  const jwks = (await (await fetch(String(discovery.jwks_uri))).json()) as { keys: (JsonWebKey & { kid: string })[] };
  const jwk = jwks.keys.find((k) => k.kid === kid);
  expect(jwk, 'signing key in JWKS').toBeDefined();
  expect(jwk).not.toHaveProperty('d');
  const key = createPublicKey({ key: jwk!, format: 'jwk' });
  expect(verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))).toBe(true);
  return JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
}

beforeAll(async () => {
  port = await freePort();
  idp = await startIdp({ port, appBaseUrls: [APP], clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, accounts: DEMO_ACCOUNTS });
  discovery = (await (await fetch(`http://localhost:${port}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
});

afterAll(async () => {
  await idp?.close();
});

describe('embedded identity provider', () => {
  it('publishes discovery with the exact issuer Auth0 SDK expects, and endpoints without double slashes', async () => {
    expect(idp.issuer).toBe(`http://localhost:${port}/`);
    expect(discovery.issuer).toBe(`http://localhost:${port}/`);
    for (const key of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri', 'end_session_endpoint']) {
      const url = String(discovery[key]);
      expect(url.startsWith(`http://localhost:${port}/`), key).toBe(true);
      expect(new URL(url).pathname, key).not.toContain('//');
    }
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    expect(discovery.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['client_secret_basic', 'client_secret_post']));
    expect(discovery.claims_supported).toEqual(expect.arrayContaining(['sub', 'email', 'email_verified', 'name', CONNECTION_CLAIM]));
    expect(discovery.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'offline_access']));
    // Also reachable on the IPv4 loopback literal, and nothing but loopback Host headers are served.
    expect((await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`)).status).toBe(200);
  });

  it('signs in a demo account with authorization code + PKCE, then refreshes, reads userinfo and signs out', async () => {
    const jar = new CookieJar();
    const { verifier, state, nonce, interactionUrl, html } = await startAuthorization(jar);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<title>Sign in — Gatehouse local identity provider</title>');
    expect(html.match(/<h1>/g)).toHaveLength(1);
    for (const account of DEMO_ACCOUNTS) expect(html).toContain(`>Sign in as ${account.name}</button>`);
    expect(html).toContain('Owner of Acme Corp');
    expect(html).toContain('<label for="email">Email</label>');

    const owner = formContaining(html, 'Sign in as Olivia Owner');
    expect(owner.fields.sub).toBe('auth0|demo-owner');
    const submitted = await post(new URL(owner.action, interactionUrl), jar, owner.fields);
    const callback = await followToApp(submitted, new URL(owner.action, interactionUrl).href, jar);
    expect(callback.origin + callback.pathname).toBe(CALLBACK);
    expect(callback.searchParams.get('state')).toBe(state);
    expect(callback.searchParams.get('iss')).toBe(idp.issuer);
    const code = callback.searchParams.get('code');
    expect(code).toBeTruthy();

    // PKCE is enforced: the wrong verifier is refused.
    const wrong = await fetch(String(discovery.token_endpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: code!,
        redirect_uri: CALLBACK,
        code_verifier: randomBytes(32).toString('base64url'),
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      }),
    });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toBe('invalid_grant');

    // oidc-provider checks PKCE before consuming the code, so the right verifier still redeems it (client_secret_post).
    const tokens = await exchange(code!, verifier, 'post');
    expect(tokens.token_type).toBe('Bearer');
    expect(typeof tokens.access_token).toBe('string');
    expect(typeof tokens.refresh_token, 'offline_access yields a refresh token').toBe('string');
    const claims = await verifiedClaims(String(tokens.id_token));
    expect(claims).toMatchObject({
      iss: idp.issuer,
      aud: CLIENT_ID,
      nonce,
      sub: 'auth0|demo-owner',
      email: 'owner@acme.test',
      email_verified: true,
      name: 'Olivia Owner',
      [CONNECTION_CLAIM]: 'Username-Password-Authentication',
    });

    const userinfo = await fetch(String(discovery.userinfo_endpoint), { headers: { authorization: `Bearer ${String(tokens.access_token)}` } });
    expect(await userinfo.json()).toMatchObject({ sub: 'auth0|demo-owner', email: 'owner@acme.test', name: 'Olivia Owner', [CONNECTION_CLAIM]: 'Username-Password-Authentication' });

    // Refresh with client_secret_basic.
    const refreshed = await fetch(String(discovery.token_endpoint), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) }),
    });
    expect(refreshed.status).toBe(200);
    expect(await verifiedClaims(String(((await refreshed.json()) as { id_token: string }).id_token))).toMatchObject({ sub: 'auth0|demo-owner', email: 'owner@acme.test' });

    // The code is single-use, and replaying it revokes what it issued.
    const replay = await fetch(String(discovery.token_endpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: code!, redirect_uri: CALLBACK, code_verifier: verifier, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
    });
    expect(replay.status).toBe(400);
    expect((await fetch(String(discovery.userinfo_endpoint), { headers: { authorization: `Bearer ${String(tokens.access_token)}` } })).status).toBe(401);

    // Signed in at the provider: the next authorization needs no sign-in page (consent is approved automatically).
    const again = await startAuthorizationExpectingRedirect(jar);
    expect(again.searchParams.get('code')).toBeTruthy();

    // RP-initiated logout, as the Auth0 SDK sends it: a page that signs out (script + visible button), then back to the app.
    const logoutUrl = new URL(String(discovery.end_session_endpoint));
    logoutUrl.search = new URLSearchParams({ client_id: CLIENT_ID, post_logout_redirect_uri: APP, state: 'bye' }).toString();
    const logoutPage = await get(logoutUrl, jar);
    expect(logoutPage.status).toBe(200);
    const logoutHtml = await logoutPage.text();
    expect(logoutHtml).toContain('>Sign out</button>');
    expect(logoutHtml).toContain('<script>');
    expect(logoutPage.headers.get('content-security-policy')).toContain("script-src 'sha256-");
    const logoutForm = formContaining(logoutHtml, 'op.logoutForm');
    const signedOut = await post(new URL(logoutForm.action, logoutUrl), jar, { ...logoutForm.fields, logout: 'yes' });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toBe(`${APP}/?state=bye`);

    // Signed out: the sign-in page is shown again.
    const fresh = await startAuthorization(jar);
    expect(fresh.html).toContain('Sign in as Olivia Owner');
  });

  it('signs in "another account": re-renders on a bad email, then issues a deterministic sub for the connection', async () => {
    const jar = new CookieJar();
    const { verifier, interactionUrl, html } = await startAuthorization(jar, 'openid profile email');
    for (const label of ['Email', 'Name', 'Connection', 'Email verified']) expect(html).toMatch(new RegExp(`<label for="[a-z_]+">${label}</label>`));
    expect(html).toContain('>Continue</button>');
    const other = formContaining(html, '>Continue</button>');
    const target = new URL(other.action, interactionUrl);

    const bad = await post(target, jar, { ...other.fields, email: 'not-an-email<b>', name: 'Nina', connection: 'corp-azure-ad', email_verified: 'true' });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toMatch(/<p class="error" id="email-error" role="alert">[^<]*valid email/);
    expect(badHtml).toContain('value="not-an-email&lt;b&gt;"');
    expect(badHtml).toContain('aria-invalid="true"');
    expect(badHtml).toContain('<option value="corp-azure-ad" selected>');
    expect(badHtml).not.toMatch(/at .*\.ts:\d+|Error:/);

    const badConnection = await post(target, jar, { ...other.fields, email: 'nina@corp.test', connection: 'evil' });
    expect(badConnection.status).toBe(400);
    expect(await badConnection.text()).toContain('Choose one of the listed connections.');

    // Unchecked "Email verified" is simply absent from the form, as a browser sends it.
    const good = await post(target, jar, { ...other.fields, email: '  Nina@Corp.test ', name: 'Nina New', connection: 'corp-azure-ad' });
    const callback = await followToApp(good, target.href, jar);
    const tokens = await exchange(callback.searchParams.get('code')!, verifier, 'basic');
    expect(tokens.refresh_token).toBeUndefined();
    const claims = await verifiedClaims(String(tokens.id_token));
    expect(String(claims.sub)).toMatch(/^corp-azure-ad\|[0-9a-f]{24}$/);
    expect(claims.sub).toBe(`corp-azure-ad|${createHash('sha256').update('corp-azure-ad\nnina@corp.test').digest('hex').slice(0, 24)}`);
    expect(claims).toMatchObject({ email: 'nina@corp.test', email_verified: false, name: 'Nina New', [CONNECTION_CLAIM]: 'corp-azure-ad' });
  });

  it('gives database-connection accounts an auth0| sub, and signs in as the demo account when its email is typed', async () => {
    expect(subForNewAccount('Username-Password-Authentication', 'A@B.test')).toMatch(/^auth0\|[0-9a-f]{24}$/);
    expect(subForNewAccount('Username-Password-Authentication', 'A@B.test')).toBe(subForNewAccount('Username-Password-Authentication', 'a@b.test'));
    expect(subForNewAccount('google-oauth2', 'a@b.test')).toMatch(/^google-oauth2\|[0-9a-f]{24}$/);

    const jar = new CookieJar();
    const { verifier, interactionUrl, html } = await startAuthorization(jar, 'openid profile email');
    const other = formContaining(html, '>Continue</button>');
    const target = new URL(other.action, interactionUrl);
    const res = await post(target, jar, { ...other.fields, email: 'Owner@Acme.test', connection: 'Username-Password-Authentication', email_verified: 'true' });
    const callback = await followToApp(res, target.href, jar);
    const claims = await verifiedClaims(String((await exchange(callback.searchParams.get('code')!, verifier, 'post')).id_token));
    expect(claims).toMatchObject({ sub: 'auth0|demo-owner', name: 'Olivia Owner' });
  });

  it('refuses authorization requests without PKCE, and serves only loopback Host names', async () => {
    const url = new URL(String(discovery.authorization_endpoint));
    url.search = new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 's' }).toString();
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(CALLBACK);
    expect(location.searchParams.get('error')).toBe('invalid_request');

    // fetch cannot set Host, so use node:http as a DNS-rebinding page's browser would arrive.
    const reboundStatus = await new Promise<number | undefined>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/.well-known/openid-configuration', headers: { host: `evil.example:${port}` } }, (res) => {
          res.resume();
          resolve(res.statusCode);
        })
        .on('error', reject);
    });
    expect(reboundStatus).toBe(421);
  });

  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
