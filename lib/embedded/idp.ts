import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Account, Configuration, Interaction, InteractionResults, JWK, KoaContextWithOIDC } from 'oidc-provider';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import { CONNECTION_CLAIM } from '../claims';

/**
 * The embedded OpenID Connect provider that stands in for Auth0 when Gatehouse runs without an Auth0 tenant
 * (`npm run demo`) and that the end-to-end tests sign in through. A real provider (`oidc-provider`), with our own
 * sign-in page: one-click demo accounts, or any email on any connection. Loopback only, in memory, development only.
 */

export { CONNECTION_CLAIM };

export interface IdpAccount {
  sub: string;
  email: string;
  name: string;
  connection: string;
  emailVerified: boolean;
  description?: string;
}

export interface StartIdpOptions {
  /** Listens on 127.0.0.1 and ::1 (when the host has IPv6), never on all interfaces. */
  port: number;
  /** e.g. `['http://localhost:3000']`: redirect_uri `${base}/auth/callback`, post_logout_redirect_uri `base` or `${base}/`. */
  appBaseUrls: string[];
  clientId: string;
  clientSecret: string;
  /** Listed on the sign-in page as one-click buttons. */
  accounts: readonly IdpAccount[];
  /** Choices for the "another account" form. */
  connections?: string[];
}

export const DEFAULT_CONNECTIONS: readonly string[] = ['Username-Password-Authentication', 'google-oauth2', 'corp-azure-ad'];
const DATABASE_CONNECTION = 'Username-Password-Authentication';
const SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;
const TITLE_SUFFIX = 'Gatehouse local identity provider';
const MAX_FORM_BYTES = 16 * 1024;

type OidcProviderModule = typeof import('oidc-provider');

/** Deterministic `sub` for an account typed into the "another account" form, the way Auth0 prefixes by connection. */
export function subForNewAccount(connection: string, email: string): string {
  const hash = createHash('sha256').update(`${connection}\n${email.toLowerCase()}`).digest('hex').slice(0, 24);
  return connection === DATABASE_CONNECTION ? `auth0|${hash}` : `${connection}|${hash}`;
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export async function startIdp(opts: StartIdpOptions): Promise<{ issuer: string; close(): Promise<void> }> {
  const { port, clientId, clientSecret } = opts;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`startIdp: invalid port ${port}`);
  if (opts.appBaseUrls.length === 0) throw new Error('startIdp: appBaseUrls must not be empty');
  const connections = opts.connections?.length ? [...opts.connections] : [...DEFAULT_CONNECTIONS];
  const appBaseUrls = opts.appBaseUrls.map((base) => base.replace(/\/+$/, ''));
  const appOrigins = new Set(appBaseUrls.map((base) => new URL(base).origin));
  // The Auth0 SDK derives the issuer from AUTH0_DOMAIN=http://localhost:PORT as `http://localhost:PORT/` and compares
  // it exactly. oidc-provider keeps the issuer string verbatim and strips the trailing slash from its mount path, so
  // endpoints come out as http://localhost:PORT/auth, /token, ... (no double slashes).
  const issuer = `http://localhost:${port}/`;
  const allowedHosts = new Set([`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);

  const accounts = new Map<string, IdpAccount>();
  for (const account of opts.accounts) accounts.set(account.sub, { ...account });

  const { default: ProviderClass, errors } = await loadOidcProvider();

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey: JWK = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        client_name: 'Gatehouse',
        application_type: 'web',
        redirect_uris: appBaseUrls.map((base) => `${base}/auth/callback`),
        post_logout_redirect_uris: appBaseUrls.flatMap((base) => [base, `${base}/`]),
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        // client_secret_post is accepted for a client registered with client_secret_basic (and vice versa).
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'RS256',
      },
    ],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    responseTypes: ['code'],
    scopes: [...SCOPES],
    claims: {
      // `claims` replaces oidc-provider's defaults, so restate the protocol ones.
      acr: null,
      auth_time: null,
      iss: null,
      sid: null,
      openid: ['sub', CONNECTION_CLAIM],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // The SDK builds its session from the ID token, so the ID token carries every granted claim (not only `sub`).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    clockTolerance: 5,
    ttl: {
      AccessToken: 60 * 60,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      Interaction: 60 * 60,
      RefreshToken: 7 * 24 * 60 * 60,
      Grant: 7 * 24 * 60 * 60,
      Session: 7 * 24 * 60 * 60,
    },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: { enabled: false },
      revocation: { enabled: false },
      introspection: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource,
        postLogoutSuccessSource,
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    clientBasedCORS: (_ctx, origin) => appOrigins.has(origin),
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      return account ? toOidcAccount(account) : undefined;
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      setPageHeaders((name, value) => ctx.set(name, value), appOrigins);
      const description = out.error_description ? `<p>${escapeHtml(out.error_description)}</p>` : '';
      ctx.body = page(
        'Something went wrong',
        `<p>The sign-in request could not be completed: <code>${escapeHtml(out.error)}</code>.</p>${description}
<p><a href="${escapeHtml(`${appBaseUrls[0]}/`)}">Back to Gatehouse</a></p>`,
      );
    },
  };

  async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
    // `form` is oidc-provider's `<form id="op.logoutForm">` with its xsrf token. `logout=yes` ends the whole session,
    // so the next sign-in shows the account picker again.
    const script = `(function(){var f=document.getElementById('op.logoutForm');var i=document.createElement('input');i.type='hidden';i.name='logout';i.value='yes';f.appendChild(i);f.submit();})();`;
    setPageHeaders((name, value) => ctx.set(name, value), appOrigins, script);
    ctx.type = 'html';
    ctx.body = page(
      'Sign out',
      `<p>Signing you out of the local identity provider…</p>
${form}
<p><button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button></p>
<script>${script}</script>`,
    );
  }

  async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
    setPageHeaders((name, value) => ctx.set(name, value), appOrigins);
    ctx.type = 'html';
    ctx.body = page(
      'Signed out',
      `<p>You are signed out of the local identity provider.</p>
<p><a href="${escapeHtml(`${appBaseUrls[0]}/`)}">Back to Gatehouse</a></p>`,
    );
  }

  const provider: Provider = quietly(() => new ProviderClass(issuer, configuration));
  provider.proxy = false; // trust no X-Forwarded-* headers
  provider.on('server_error', (_ctx: KoaContextWithOIDC, error: Error) => {
    console.error(`[local identity provider] ${error.message}`);
  });
  // oidc-provider drops offline_access unless the request also carries prompt=consent (OpenID Connect Core §11);
  // Auth0 does not, so ask for consent on the client's behalf. Consent is granted automatically below.
  provider.use(async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === '/auth') {
      const params = new URLSearchParams(ctx.querystring);
      const scopes = (params.get('scope') ?? '').split(' ');
      const prompts = (params.get('prompt') ?? '').split(' ').filter(Boolean);
      if (scopes.includes('offline_access') && params.getAll('prompt').length <= 1 && !prompts.includes('consent') && !prompts.includes('none')) {
        params.set('prompt', [...prompts, 'consent'].join(' '));
        ctx.querystring = params.toString();
      }
    }
    await next();
  });

  const providerCallback = provider.callback();

  async function grantFor(interaction: Interaction, accountId: string, scope: string): Promise<string> {
    const requestedClient = typeof interaction.params.client_id === 'string' ? interaction.params.client_id : clientId;
    const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
    const grant =
      existing && existing.accountId === accountId ? existing : new provider.Grant({ accountId, clientId: requestedClient });
    const known = new Set<string>(SCOPES);
    const scopes = scope.split(' ').filter((s) => known.has(s));
    if (scopes.length) grant.addOIDCScope(scopes);
    return grant.save();
  }

  async function finishLogin(req: IncomingMessage, res: ServerResponse, interaction: Interaction, account: IdpAccount): Promise<void> {
    const scope = typeof interaction.params.scope === 'string' ? interaction.params.scope : 'openid';
    const grantId = await grantFor(interaction, account.sub, scope);
    const result: InteractionResults = {
      login: { accountId: account.sub, remember: true, amr: ['pwd'] },
      consent: { grantId },
    };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }

  async function autoConsent(req: IncomingMessage, res: ServerResponse, interaction: Interaction): Promise<void> {
    const accountId = interaction.session?.accountId;
    if (!accountId) throw new errors.SessionNotFound('no signed-in account for consent');
    const { details } = interaction.prompt;
    const missing = Array.isArray(details.missingOIDCScope) ? details.missingOIDCScope.filter((s): s is string => typeof s === 'string') : [];
    const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
    const grant = existing ?? new provider.Grant({ accountId, clientId: String(interaction.params.client_id ?? clientId) });
    if (missing.length) grant.addOIDCScope(missing);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  function signInPage(interaction: Interaction, form?: OtherAccountFormState): string {
    const uid = escapeHtml(interaction.uid);
    const action = (step: string) => `/interaction/${uid}/${step}`;
    const loginHint = typeof interaction.params.login_hint === 'string' ? interaction.params.login_hint : '';
    const state: OtherAccountFormState = form ?? {
      email: loginHint.includes('@') ? loginHint : '',
      name: '',
      connection: connections[0] ?? DATABASE_CONNECTION,
      emailVerified: true,
    };
    const demo = opts.accounts
      .map((account, i) => {
        const details = [account.email, account.connection, account.description].filter(Boolean).join(' · ');
        return `<li><form method="post" action="${action('login')}">
<input type="hidden" name="uid" value="${uid}"><input type="hidden" name="sub" value="${escapeHtml(account.sub)}">
<button type="submit" aria-describedby="account-${i}-details">Sign in as ${escapeHtml(account.name)}</button>
<p class="details" id="account-${i}-details">${escapeHtml(details)}</p>
</form></li>`;
      })
      .join('\n');
    const emailError = state.errors?.email;
    const connectionError = state.errors?.connection;
    const nameError = state.errors?.name;
    const fieldError = (id: string, message: string | undefined) =>
      message ? `<p class="error" id="${id}-error" role="alert">${escapeHtml(message)}</p>` : '';
    const invalid = (id: string, message: string | undefined, hint?: string) => {
      const describedBy = [message ? `${id}-error` : '', hint ?? ''].filter(Boolean).join(' ');
      return `${message ? ' aria-invalid="true"' : ''}${describedBy ? ` aria-describedby="${describedBy}"` : ''}`;
    };
    const options = connections
      .map((c) => `<option value="${escapeHtml(c)}"${c === state.connection ? ' selected' : ''}>${escapeHtml(c)}</option>`)
      .join('');
    return page(
      'Sign in',
      `<p class="note">This page stands in for Auth0 while you run Gatehouse locally. There are no passwords: pick a demo account, or type any email to sign in as someone new.</p>
<section aria-labelledby="demo-heading">
<h2 id="demo-heading">Demo accounts</h2>
<ul class="accounts">
${demo}
</ul>
</section>
<section>
<h2 id="other-heading">Sign in with another account</h2>
<form method="post" action="${action('other')}" class="card" aria-labelledby="other-heading">
<input type="hidden" name="uid" value="${uid}">
<div class="field"><label for="email">Email</label>
<input id="email" name="email" type="email" required autocomplete="email" maxlength="254" value="${escapeHtml(state.email)}"${invalid('email', emailError)}${emailError ? ' autofocus' : ''}>
${fieldError('email', emailError)}</div>
<div class="field"><label for="name">Name</label>
<input id="name" name="name" type="text" autocomplete="name" maxlength="100" value="${escapeHtml(state.name)}"${invalid('name', nameError, 'name-hint')}>
<p class="hint" id="name-hint">Optional. Defaults to the email address.</p>
${fieldError('name', nameError)}</div>
<div class="field"><label for="connection">Connection</label>
<select id="connection" name="connection"${invalid('connection', connectionError)}>${options}</select>
${fieldError('connection', connectionError)}</div>
<div class="field check"><input id="email_verified" name="email_verified" type="checkbox" value="true"${state.emailVerified ? ' checked' : ''}>
<label for="email_verified">Email verified</label></div>
<button type="submit">Continue</button>
</form>
</section>
<form method="post" action="${action('abort')}" class="cancel">
<input type="hidden" name="uid" value="${uid}">
<button type="submit" class="secondary">Cancel and return to Gatehouse</button>
</form>`,
    );
  }

  async function handleInteraction(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const match = /^\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(login|other|abort))?$/.exec(pathname);
    if (!match) return sendMessage(res, 404, 'Page not found', 'There is nothing at this address.', appBaseUrls[0]);
    const [, uid, step] = match;
    const method = req.method ?? 'GET';
    // GET may finish an interaction (automatic consent), so HEAD is not offered.
    if (method !== (step ? 'POST' : 'GET')) {
      res.setHeader('Allow', step ? 'POST' : 'GET');
      return sendMessage(res, 405, 'Method not allowed', 'This page only accepts the sign-in form.', appBaseUrls[0]);
    }

    let interaction: Interaction;
    try {
      interaction = await provider.interactionDetails(req, res);
    } catch (error) {
      if (error instanceof errors.SessionNotFound) return sendExpired(res, appBaseUrls[0]);
      throw error;
    }
    if (interaction.uid !== uid) return sendExpired(res, appBaseUrls[0]);

    if (!step) {
      if (interaction.prompt.name === 'consent') return autoConsent(req, res, interaction);
      if (interaction.prompt.name !== 'login') {
        return sendMessage(res, 400, 'Cannot continue', 'This sign-in request needs a step the local identity provider does not offer.', appBaseUrls[0]);
      }
      return sendHtml(res, 200, signInPage(interaction), appOrigins);
    }

    const body = await readForm(req);
    if (body === 'too-large') return sendMessage(res, 413, 'Form too large', 'The form was larger than expected.', appBaseUrls[0]);
    if (body === 'unsupported') return sendMessage(res, 415, 'Unsupported form', 'Submit the form from the sign-in page.', appBaseUrls[0]);
    if (body.get('uid') !== uid) return sendExpired(res, appBaseUrls[0]);

    if (step === 'abort') {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'The user cancelled the sign-in.' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (interaction.prompt.name !== 'login') return sendExpired(res, appBaseUrls[0]);

    if (step === 'login') {
      const account = accounts.get(body.get('sub') ?? '');
      if (!account) return sendMessage(res, 400, 'Unknown account', 'That account is not offered here any more. Go back and pick another one.', appBaseUrls[0]);
      return finishLogin(req, res, interaction, account);
    }

    // step === 'other'
    const parsed = parseOtherAccountForm(body, connections);
    if (!parsed.ok) return sendHtml(res, 400, signInPage(interaction, parsed.state), appOrigins);
    const { email, name, connection, emailVerified } = parsed.value;
    // One account per (connection, email), like Auth0: typing a demo account's email signs in as that account.
    const configured = opts.accounts.find((a) => a.connection === connection && a.email.toLowerCase() === email);
    const account = (configured && accounts.get(configured.sub)) ?? {
      sub: subForNewAccount(connection, email),
      email,
      name: name || email,
      connection,
      emailVerified,
    };
    // Typed-in accounts live as long as this provider; signing in again with other details updates them.
    if (!configured) accounts.set(account.sub, account);
    return finishLogin(req, res, interaction, account);
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    // Loopback only; refusing other Host headers also shuts out DNS-rebinding pages.
    if (!allowedHosts.has(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Misdirected request\n');
      return;
    }
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    if (pathname === '/interaction' || pathname.startsWith('/interaction/')) {
      handleInteraction(req, res, pathname).catch((error: unknown) => {
        console.error(`[local identity provider] ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) sendMessage(res, 500, 'Something went wrong', 'The sign-in could not be completed. Go back to Gatehouse and try again.', appBaseUrls[0]);
        else res.destroy();
      });
      return;
    }
    if (pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
      sendHtml(
        res,
        200,
        page(
          'Running',
          `<p>This local OpenID Connect provider stands in for Auth0 while you run Gatehouse locally.</p>
<p><a href="${escapeHtml(`${appBaseUrls[0]}/`)}">Open Gatehouse</a> · <a href="/.well-known/openid-configuration">Discovery document</a></p>`,
        ),
        appOrigins,
      );
      return;
    }
    void providerCallback(req, res);
  };

  const servers: http.Server[] = [];
  try {
    servers.push(await listen(handler, port, '127.0.0.1'));
    try {
      servers.push(await listen(handler, port, '::1'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // No IPv6 loopback on this host: 127.0.0.1 is enough.
      if (code !== 'EADDRNOTAVAIL' && code !== 'EAFNOSUPPORT') throw error;
    }
  } catch (error) {
    await Promise.all(servers.map(closeServer));
    throw error;
  }

  let closing: Promise<void> | undefined;
  // A closure, not a method: callers pass `idp.close` around unbound.
  const close = (): Promise<void> => {
    closing ??= Promise.all(servers.map(closeServer)).then(() => undefined);
    return closing;
  };
  return { issuer, close };
}

interface OtherAccountFormState {
  email: string;
  name: string;
  connection: string;
  emailVerified: boolean;
  errors?: Partial<Record<'email' | 'name' | 'connection', string>>;
}

function parseOtherAccountForm(
  body: URLSearchParams,
  connections: readonly string[],
):
  | { ok: true; value: { email: string; name: string; connection: string; emailVerified: boolean } }
  | { ok: false; state: OtherAccountFormState } {
  const schema = z.object({
    email: z
      .string()
      .trim()
      .min(1, 'Enter an email address.')
      .max(254, 'That email address is too long.')
      .pipe(z.email('Enter a valid email address, like name@example.com.'))
      .transform((email) => email.toLowerCase()),
    name: z.string().trim().max(100, 'Keep the name under 100 characters.'),
    connection: z.string().refine((c) => connections.includes(c), 'Choose one of the listed connections.'),
    emailVerified: z.boolean(),
  });
  const raw = {
    email: body.get('email') ?? '',
    name: body.get('name') ?? '',
    connection: body.get('connection') ?? '',
    emailVerified: body.get('email_verified') === 'true',
  };
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  const errors: OtherAccountFormState['errors'] = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0];
    if ((field === 'email' || field === 'name' || field === 'connection') && !errors[field]) errors[field] = issue.message;
  }
  return { ok: false, state: { ...raw, errors } };
}

function toOidcAccount(account: IdpAccount): Account {
  return {
    accountId: account.sub,
    claims: () => ({
      sub: account.sub,
      email: account.email,
      email_verified: account.emailVerified,
      name: account.name,
      [CONNECTION_CLAIM]: account.connection,
    }),
  };
}

// --- loading oidc-provider quietly -----------------------------------------------------------------------------

let providerModule: Promise<OidcProviderModule> | undefined;

/**
 * oidc-provider prints two warnings that do not apply here: "Unsupported runtime" on Node 20 (the project supports
 * 20.19+, and the features used here work on it) and "in-memory adapter ... MUST change" (in memory is the point of
 * a throwaway local provider). Only those two lines are dropped; every other warning still shows.
 */
const IGNORED_WARNINGS = ['oidc-provider WARNING: Unsupported runtime', 'oidc-provider WARNING: a quick start development-only in-memory adapter'];

function quietly<T>(fn: () => T): T {
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    const first = args[0];
    if (typeof first === 'string' && IGNORED_WARNINGS.some((w) => first.includes(w))) return;
    original.apply(console, args);
  };
  try {
    const result = fn();
    if (result instanceof Promise) {
      return result.finally(() => {
        console.warn = original;
      }) as T;
    }
    console.warn = original;
    return result;
  } catch (error) {
    console.warn = original;
    throw error;
  }
}

function loadOidcProvider(): Promise<OidcProviderModule> {
  providerModule ??= quietly(() => import('oidc-provider'));
  return providerModule;
}

// --- HTTP plumbing ---------------------------------------------------------------------------------------------

function listen(handler: http.RequestListener, port: number, host: string): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handler);
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(server);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host, ipv6Only: host.includes(':') });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) return resolve();
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | 'too-large' | 'unsupported'> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return 'unsupported';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return 'too-large';
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function sendHtml(res: ServerResponse, status: number, html: string, appOrigins?: ReadonlySet<string>): void {
  setPageHeaders((name, value) => res.setHeader(name, value), appOrigins ?? new Set());
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(html));
  res.end(html);
}

function sendMessage(res: ServerResponse, status: number, title: string, message: string, backTo?: string): void {
  const back = backTo ? `<p><a href="${escapeHtml(`${backTo}/`)}">Back to Gatehouse</a></p>` : '';
  sendHtml(res, status, page(title, `<p>${escapeHtml(message)}</p>${back}`));
}

function sendExpired(res: ServerResponse, backTo: string | undefined): void {
  sendMessage(
    res,
    400,
    'Sign-in expired',
    'This sign-in page has expired or was opened in another browser. Go back to Gatehouse and sign in again.',
    backTo,
  );
}

// --- pages -----------------------------------------------------------------------------------------------------

const CSS = `:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#f6f8fa;--card:#fff;--line:#d1d9e0;--accent:#0b5cad;--accent-fg:#0b5cad;--error:#b42318}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--card:#151b23;--line:#3d444d;--accent:#1f6feb;--accent-fg:#6cb6ff;--error:#ff7b72}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:40rem;margin:0 auto;padding:2rem 1rem 3rem}
h1{font-size:1.5rem;line-height:1.3;margin:0 0 .5rem}
h2{font-size:1.125rem;margin:2rem 0 .75rem}
a{color:var(--accent-fg)}
.note,.hint,.details{color:var(--muted)}
.note{margin:0 0 1rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1rem}
.accounts{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
.accounts form{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem}
.details,.hint{margin:.25rem 0 0;font-size:.875rem}
button{font:inherit;padding:.5rem 1rem;border-radius:.375rem;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer}
button.secondary{background:transparent;color:var(--accent-fg)}
.cancel{margin-top:2rem}
:focus-visible{outline:3px solid var(--accent-fg);outline-offset:2px}
.field{margin:0 0 1rem}
label{display:block;font-weight:600;margin:0 0 .25rem}
input[type=email],input[type=text],select{width:100%;font:inherit;padding:.5rem;border:1px solid var(--line);border-radius:.375rem;background:var(--card);color:var(--fg)}
.check{display:flex;gap:.5rem;align-items:center}
.check label{margin:0;font-weight:400}
.check input{width:1.125rem;height:1.125rem;margin:0}
[aria-invalid=true]{border-color:var(--error)}
.error{color:var(--error);margin:.25rem 0 0;font-size:.875rem;font-weight:600}
code{font-size:.9em}`;
const CSS_HASH = sha256Base64(CSS);

function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

function page(title: string, body: string): string {
  const fullTitle = `${title} — ${TITLE_SUFFIX}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(fullTitle)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(fullTitle)}</h1>
${body}
</main>
</body>
</html>`;
}

/**
 * No caching, no framing, and a strict CSP: our inline style (and, on the logout page, our one inline script) by hash;
 * forms may post here and follow redirects back to the app.
 */
function setPageHeaders(set: (name: string, value: string) => void, appOrigins: ReadonlySet<string>, script?: string): void {
  const formAction = ["'self'", ...appOrigins].join(' ');
  const scriptSrc = script ? `'sha256-${sha256Base64(script)}'` : "'none'";
  set(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'sha256-${CSS_HASH}'; script-src ${scriptSrc}; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
  );
  set('Cache-Control', 'no-store');
  set('X-Content-Type-Options', 'nosniff');
  set('X-Frame-Options', 'DENY');
  set('Referrer-Policy', 'no-referrer');
}
