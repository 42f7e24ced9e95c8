import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { apiKeyMatches, hashApiKey, parseApiKey } from '@/lib/access/api-keys';
import { type ApiKeyScope } from '@/lib/access/api-key-scopes';
import { createDb, createPool } from '@/lib/db-client';
import { AppError, asAppError, ERROR_STATUS } from '@/lib/errors';
import { logger as rootLogger } from '@/lib/logger';
import {
  CheckBatchInput,
  CheckInput,
  ClientCredentialsDecisionInput,
  LoginDecisionInput,
  MAX_BATCH_ITEMS,
  type ApiErrorBody,
  type CheckBatchResult,
  type DecisionApiErrorCode,
  type HealthResult,
  type ReadinessResult,
} from '@/lib/schemas/decision-api';
import { parseMaxSnapshotAge, parseUnknownApplications } from '@/lib/env';
import { checkDecision, clientCredentialsDecision, loginDecision, LoginUnavailableError, type UnknownApplications } from './decisions';
import { fastCheckInput } from './check-input';
import { BodyError, readJsonBody, sendJson } from './http';
import { createImport, importStatus } from './imports';
import { createImportQueue, type ImportQueue } from '@/lib/jobs/queue';
import { PendingSignIns } from './pending-sign-ins';
import { FixedWindowLimiter } from './rate-limit';
import { buildOpenApiDocument } from './openapi';
import { DecisionSnapshot, type ApiKeyEntry, type DecisionSnapshotOptions } from './snapshot';

/**
 * The decision API (`/api/v1`) as its own lean Node process (docs/decisions/0007-decision-api.md): node:http with a
 * route table, no per-request logging, and no database query on the check path: API keys, users, orgs, assignments
 * and the catalog come from the in-memory snapshot (./snapshot.ts), which obeys a change made anywhere within a
 * second. The login decision also writes: it records the sign-in with lib/provisioning before deciding. Everything
 * goes through one pool (lib/db-client.ts): the snapshot's reads, the sign-ins' writes (Prisma over that pool) and
 * the API keys' usage.
 *
 * Every error is `{ error: { code, message } }` with the status of lib/errors.ts; a deny is a 200.
 */

export const DEFAULT_RATE_LIMIT_PER_SECOND = 20_000;
export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface DecisionServerOptions {
  /** The database: the snapshot reads it, the login decision writes to it, through one pool. */
  databaseUrl: string;
  logger?: Logger;
  /** Requests per second per API key. Default: DECISIONS_RATE_LIMIT_PER_SECOND, else 20,000. */
  rateLimitPerSecond?: number;
  /** How often API keys' last_used_at is written. Default 5 s. */
  keyUsageFlushMs?: number;
  /**
   * A login to an application Gatehouse does not know: 'deny' (404 NOT_FOUND, the Action denies) or 'allow' (an
   * allow without claims, reason `unknown_application_allowed`). Default: DECISIONS_UNKNOWN_APPLICATIONS, else 'deny'.
   */
  unknownApplications?: UnknownApplications;
  /**
   * `/health/ready` answers 503 `stale` once the snapshot was not confirmed current for this long (the database
   * unreachable); liveness never looks at it. Default: DECISIONS_MAX_SNAPSHOT_AGE_SECONDS, else 300 s.
   */
  maxSnapshotAgeMs?: number;
  /** Snapshot tuning (poll interval, LISTEN, change_log retention). */
  snapshot?: Omit<DecisionSnapshotOptions, 'pool' | 'logger'>;
  /** Where POST /api/v1/imports queues a run; default: pg-boss on `databaseUrl`; null: leave it to the worker's sweep. */
  importQueue?: ImportQueue | null;
}

/** A request for `inject`: one request through the server's own handler, without a socket (tests). */
export interface InjectRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  url: string;
  headers?: Record<string, string>;
  payload?: string;
}

export interface InjectResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

export interface DecisionServer {
  /** The request handler (node:http's `request` listener); answers 503 until the snapshot is loaded. */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** The in-memory snapshot; available once `ready()` or `start()` has resolved. */
  readonly snapshot: DecisionSnapshot;
  /** Loads the snapshot (and starts keeping it current) without listening. */
  ready(): Promise<void>;
  /** One request through `handler` without a socket (light-my-request); loads the snapshot first. */
  inject(request: InjectRequest): Promise<InjectResponse>;
  /**
   * Loads the snapshot and listens on `port` (0: any free port) and `host` (default 127.0.0.1); resolves to the
   * base URL, e.g. http://127.0.0.1:3001.
   */
  start(port: number, host?: string): Promise<string>;
  /** Writes the pending last_used_at of API keys now (also done every few seconds and on close). */
  flushKeyUsage(): Promise<void>;
  /** Stops listening (open requests finish, idle connections close), writes key usage, closes the snapshot and the pool. */
  close(): Promise<void>;
}

class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', `Too many requests with this API key; retry after ${retryAfterSeconds} s.`);
  }
}

/** A body that is not the operation's shape; `fields` lists the refused fields' paths, so callers can tell whose data it was. */
class BadInputError extends AppError {
  constructor(
    message: string,
    readonly fields: string[],
  ) {
    super('BAD_INPUT', message);
  }
}

/** A hash no key has, compared against when the prefix is unknown, so both failures take the same time. */
const NO_KEY_HASH = hashApiKey('gh_00000000_none');
const BEARER_RE = /^bearer\s+/i;
const IMPORT_PATH_RE = /^\/api\/v1\/imports\/([^/]+)$/;

function errorBody(code: DecisionApiErrorCode, message: string): ApiErrorBody {
  return { error: { code, message } };
}

function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  if (body === undefined || body === null) throw new AppError('BAD_INPUT', 'Send a JSON body (Content-Type: application/json).');
  const pathOf = (i: z.core.$ZodIssue) => (i.path.length ? i.path.join('.') : 'body');
  const issues = result.error.issues.slice(0, 3).map((i) => `${pathOf(i)}: ${i.message}`);
  const more = result.error.issues.length > 3 ? ` (and ${result.error.issues.length - 3} more)` : '';
  // An unknown key is reported on its object; name the keys themselves, so `user.admin` reads as the user's data.
  const fields = result.error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys' ? i.keys.map((k) => [...i.path, k].join('.')) : [pathOf(i)],
  );
  throw new BadInputError(`${issues.join('; ')}${more}`, [...new Set(fields)]);
}

/** DECISIONS_MAX_SNAPSHOT_AGE_SECONDS in ms, read like the other settings of this process. */
function maxSnapshotAgeMsFromEnv(): number {
  const parsed = parseMaxSnapshotAge(process.env.DECISIONS_MAX_SNAPSHOT_AGE_SECONDS);
  if (typeof parsed !== 'number') throw new Error(`DECISIONS_MAX_SNAPSHOT_AGE_SECONDS ${parsed.message}`);
  return parsed * 1000;
}

/** DECISIONS_UNKNOWN_APPLICATIONS, read like the other settings of this process (which does not call parseEnv). */
function unknownApplicationsFromEnv(): UnknownApplications {
  const parsed = parseUnknownApplications(process.env.DECISIONS_UNKNOWN_APPLICATIONS);
  if (typeof parsed !== 'string') throw new Error(`DECISIONS_UNKNOWN_APPLICATIONS ${parsed.message}`);
  return parsed;
}

/**
 * Builds the decision server. Nothing is loaded or opened until `ready()`, `start()` or the first `app.inject`;
 * then the snapshot loads (about 4 s and 110 MB for 100,000 users with 300,000 memberships) and is kept current
 * until `close()`.
 */
export function createDecisionServer(options: DecisionServerOptions): DecisionServer {
  const log = options.logger ?? rootLogger.child({ component: 'decision-api' });
  const perSecond = options.rateLimitPerSecond ?? (Number(process.env.DECISIONS_RATE_LIMIT_PER_SECOND) || DEFAULT_RATE_LIMIT_PER_SECOND);
  if (!Number.isInteger(perSecond) || perSecond < 1) throw new Error(`the rate limit must be a positive integer, not ${perSecond}`);
  const unknownApplications = options.unknownApplications ?? unknownApplicationsFromEnv();
  const maxSnapshotAgeMs = options.maxSnapshotAgeMs ?? maxSnapshotAgeMsFromEnv();
  const loginCtx = (req: IncomingMessage) => ({ requestId: requestIdOf(req), unknownApplications, pendingSignIns });

  let loaded: DecisionSnapshot | null = null;
  const snap = (): DecisionSnapshot => {
    if (!loaded) throw new Error('the decision server is not ready: call ready() or start() first');
    return loaded;
  };
  const limiter = new FixedWindowLimiter(perSecond, 1_000);
  // Opens no connection until the first query.
  const pool = createPool(options.databaseUrl);
  // An idle pooled connection that breaks must not crash the process; the next query reconnects.
  pool.on('error', (error) => log.warn({ err: error.message }, 'decision API: idle database connection lost'));
  const db = createDb(pool);
  const importQueue =
    options.importQueue !== undefined
      ? options.importQueue
      : process.env.GATEHOUSE_EMBEDDED_DB === 'true'
        ? null // no pg-boss on the embedded PGlite: the worker's sweep starts queued imports
        : createImportQueue(options.databaseUrl, (message, error) => log.warn({ err: error?.message }, `decision API: ${message}`));
  const pendingSignIns = new PendingSignIns(db, log);
  /** API key id → when it was last used (epoch ms), written in batches. */
  let keyUsage = new Map<string, number>();
  const openApiJson = JSON.stringify(buildOpenApiDocument());

  const verifiedKeys = new Map<string, ApiKeyEntry>();

  function authenticate(req: IncomingMessage, scope: ApiKeyScope): ApiKeyEntry {
    const header = req.headers.authorization;
    if (header === undefined || !BEARER_RE.test(header)) {
      throw new AppError('UNAUTHENTICATED', 'Send a decision API key: Authorization: Bearer gh_<prefix>_<secret>.');
    }
    const presented = header.startsWith('Bearer ') && header.charCodeAt(7) > 32 ? header.slice(7).trimEnd() : header.replace(BEARER_RE, '').trim();
    // Hashing every request costs more than the decision itself; a key already proven against the entry the
    // snapshot holds now is trusted until the snapshot replaces that entry (revocation, expiry or scope change).
    let entry = verifiedKeys.get(presented);
    if (entry === undefined || snap().apiKeyByPrefix(entry.prefix) !== entry) {
      const parsed = parseApiKey(presented);
      entry = parsed ? snap().apiKeyByPrefix(parsed.prefix) : undefined;
      if (!entry) {
        apiKeyMatches(presented, NO_KEY_HASH);
        throw new AppError('UNAUTHENTICATED', 'This API key is not valid.');
      }
      if (!apiKeyMatches(presented, entry.secretHash)) throw new AppError('UNAUTHENTICATED', 'This API key is not valid.');
      if (verifiedKeys.size >= 1000) verifiedKeys.clear();
      verifiedKeys.set(presented, entry);
    }
    if (entry.revoked) throw new AppError('UNAUTHENTICATED', 'This API key was revoked.');
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) throw new AppError('UNAUTHENTICATED', 'This API key has expired.');
    if (!entry.scopes.has(scope)) throw new AppError('FORBIDDEN', `This API key lacks the scope "${scope}" this endpoint needs.`);
    return entry;
  }

  /** Counts the request against the key's budget for the current second; throws RateLimitedError over it. */
  function rateLimit(key: ApiKeyEntry): void {
    const now = Date.now();
    const waitMs = limiter.take(key.id, now);
    if (waitMs > 0) throw new RateLimitedError(Math.max(1, Math.ceil(waitMs / 1000)));
    keyUsage.set(key.id, now);
  }

  /** The request id: the caller's X-Request-Id when it looks like one, else a new one (made only when needed). */
  function requestIdOf(req: IncomingMessage): string {
    const given = req.headers['x-request-id'];
    return typeof given === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(given) ? given : randomUUID();
  }

  interface Route {
    /** The scope an API key needs; null: no key (health, OpenAPI). */
    scope: ApiKeyScope | null;
    /** Reads a JSON body (POST). */
    body: boolean;
    handle(body: unknown, req: IncomingMessage, res: ServerResponse): unknown;
  }
  const routes = new Map<string, Route>();

  routes.set('POST /api/v1/check', {
    scope: 'check',
    body: true,
    handle: (body) => checkDecision(snap(), fastCheckInput(body) ?? parseBody(CheckInput, body), new Date()),
  });

  routes.set('POST /api/v1/check/batch', {
    scope: 'check',
    body: true,
    handle(body): CheckBatchResult {
      const items = (body as { items?: unknown } | null | undefined)?.items;
      if (Array.isArray(items) && items.length > MAX_BATCH_ITEMS) {
        throw new AppError('PAYLOAD_TOO_LARGE', `A batch holds at most ${MAX_BATCH_ITEMS} items; this one has ${items.length}.`);
      }
      const input = parseBody(CheckBatchInput, body);
      const snapshot = snap();
      const now = new Date();
      const results: CheckBatchResult['results'] = new Array(input.items.length);
      for (let i = 0; i < input.items.length; i++) {
        try {
          results[i] = checkDecision(snapshot, input.items[i]!, now);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          results[i] = errorBody(error.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'BAD_INPUT', error.message);
        }
      }
      return { results };
    },
  });

  routes.set('POST /api/v1/decisions/client-credentials', {
    scope: 'decisions:client_credentials',
    body: true,
    handle: (body) => clientCredentialsDecision(snap(), parseBody(ClientCredentialsDecisionInput, body), new Date()),
  });

  routes.set('POST /api/v1/decisions/login', {
    scope: 'decisions:login',
    body: true,
    handle: (body, req) => loginDecision(snap(), db, parseBody(LoginDecisionInput, body), loginCtx(req)),
  });

  // Bulk import (the request body is the file, streamed into the parser: no JSON body is read).
  routes.set('POST /api/v1/imports', {
    scope: 'import',
    body: false,
    handle: (_body, req, res) => {
      res.statusCode = 201;
      return createImport(db, importQueue, (req as IncomingMessage & { apiKey: ApiKeyEntry }).apiKey, req, requestIdOf(req));
    },
  });
  routes.set('GET /api/v1/imports/{id}', {
    scope: 'import',
    body: false,
    handle: (_body, req) => importStatus(db, (req as IncomingMessage & { importId: string }).importId, req),
  });

  const OPENAPI = Symbol('openapi');
  routes.set('GET /api/v1/openapi.json', { scope: null, body: false, handle: () => OPENAPI });

  // Liveness (restart the process when it fails) never depends on the database: every instance loses the database at
  // once, and answers keep coming from the snapshot meanwhile. Readiness judges the snapshot's age, against minutes.
  const live: Route = { scope: null, body: false, handle: (): HealthResult => ({ status: 'ok', snapshotAgeMs: snap().snapshotAgeMs }) };
  routes.set('GET /api/v1/health', live);
  routes.set('GET /api/v1/health/live', live);
  routes.set('GET /api/v1/health/ready', {
    scope: null,
    body: false,
    handle(_body, _req, res): ReadinessResult {
      const snapshotAgeMs = snap().snapshotAgeMs;
      const status = snapshotAgeMs <= maxSnapshotAgeMs ? 'ok' : 'stale';
      res.statusCode = status === 'ok' ? 200 : 503;
      return { status, snapshotAgeMs, maxSnapshotAgeMs };
    },
  });

  /** Path → the methods it answers, for 405's Allow header (a GET also answers HEAD, as node:http sends no body then). */
  const allowedMethods = new Map<string, string>();
  for (const key of routes.keys()) {
    const space = key.indexOf(' ');
    const [method, path] = [key.slice(0, space), key.slice(space + 1)];
    const methods = [allowedMethods.get(path), method, method === 'GET' ? 'HEAD' : undefined].filter(Boolean);
    allowedMethods.set(path, methods.join(', '));
  }

  function sendError(req: IncomingMessage, res: ServerResponse, thrown: unknown): void {
    if (thrown instanceof LoginUnavailableError) {
      sendJson(res, 503, JSON.stringify(errorBody('UNAVAILABLE', thrown.message)), { 'retry-after': String(thrown.retryAfterSeconds) });
      return;
    }
    const error = asAppError(thrown) ?? thrown;
    if (error !== thrown) log.warn({ err: thrown, requestId: requestIdOf(req), url: req.url }, 'decision API: input refused by the database');
    if (error instanceof AppError) {
      const headers: Record<string, string> = {};
      if (error instanceof RateLimitedError) headers['retry-after'] = String(error.retryAfterSeconds);
      if (error instanceof BodyError && error.closeConnection) headers.connection = 'close';
      const code = error.code === 'CONFLICT' ? 'BAD_INPUT' : error.code;
      const body: ApiErrorBody = errorBody(code, error.message);
      if (error instanceof BadInputError) body.error.fields = error.fields;
      sendJson(res, ERROR_STATUS[code], JSON.stringify(body), headers);
      return;
    }
    const requestId = requestIdOf(req);
    log.error({ err: error, requestId, url: req.url }, 'decision API: unexpected error');
    sendJson(
      res,
      500,
      JSON.stringify({ error: { code: 'INTERNAL', message: 'Something went wrong on our side. Try again; if it keeps happening, quote the request id.', requestId } }),
    );
  }

  let closing = false;

  /** Answers one request. Synchronous up to reading the body; a check is answered in the turn its body arrives. */
  function serve(req: IncomingMessage, res: ServerResponse): void {
    try {
      if (closing || loaded === null) {
        sendJson(res, 503, JSON.stringify(errorBody('UNAVAILABLE', closing ? 'The decision API is shutting down.' : 'The decision API is starting.')), {
          connection: 'close',
          'retry-after': '1',
        });
        return;
      }
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q === -1 ? url : url.slice(0, q);
      const importId = IMPORT_PATH_RE.exec(path)?.[1];
      if (importId !== undefined) (req as IncomingMessage & { importId: string }).importId = decodeURIComponent(importId);
      const routePath = importId !== undefined ? '/api/v1/imports/{id}' : path;
      const route = routes.get(`${req.method === 'HEAD' ? 'GET' : req.method} ${routePath}`);
      if (route === undefined) {
        const allow = allowedMethods.get(routePath);
        if (allow === undefined) throw new AppError('NOT_FOUND', `There is no ${req.method} ${path} in the decision API.`);
        // RFC 9110 §15.5.6: the resource exists, not with this method; Allow says which it has.
        sendJson(res, 405, JSON.stringify(errorBody('METHOD_NOT_ALLOWED', `${path} answers ${allow}, not ${req.method}.`)), { allow });
        return;
      }
      // The key is checked before the body is read: without a valid key nothing more is done.
      if (route.scope !== null) {
        const key = authenticate(req, route.scope);
        rateLimit(key);
        (req as IncomingMessage & { apiKey: ApiKeyEntry }).apiKey = key;
      }
      if (!route.body) return respond(req, res, route, undefined);
      readJsonBody(req, BODY_LIMIT_BYTES, (error, body) => (error ? sendError(req, res, error) : respond(req, res, route, body)));
    } catch (error) {
      sendError(req, res, error);
    }
  }

  function respond(req: IncomingMessage, res: ServerResponse, route: Route, body: unknown): void {
    try {
      const result = route.handle(body, req, res);
      if (result instanceof Promise) result.then((value: unknown) => sendResult(res, value), (error: unknown) => sendError(req, res, error));
      else sendResult(res, result);
    } catch (error) {
      sendError(req, res, error);
    }
  }

  function sendResult(res: ServerResponse, result: unknown): void {
    sendJson(res, res.statusCode, result === OPENAPI ? openApiJson : JSON.stringify(result));
  }

  async function flushKeyUsage(): Promise<void> {
    if (keyUsage.size === 0) return;
    const batch = keyUsage;
    keyUsage = new Map();
    try {
      await pool.query(
        `UPDATE api_keys AS k SET last_used_at = to_timestamp(v.ms / 1000.0)
         FROM unnest($1::uuid[], $2::float8[]) AS v(id, ms)
         WHERE k.id = v.id AND (k.last_used_at IS NULL OR k.last_used_at < to_timestamp(v.ms / 1000.0))`,
        [[...batch.keys()], [...batch.values()]],
      );
    } catch (error) {
      // Put them back (newer uses win) for the next attempt.
      for (const [id, ms] of batch) if ((keyUsage.get(id) ?? 0) < ms) keyUsage.set(id, ms);
      log.warn({ err: (error as Error).message }, 'decision API: writing API key usage failed');
    }
  }
  let usageTimer: NodeJS.Timeout | null = null;

  let readying: Promise<void> | null = null;
  function ready(): Promise<void> {
    readying ??= (async () => {
      loaded = await DecisionSnapshot.open({ pool, logger: log, ...options.snapshot });
      usageTimer = setInterval(() => void flushKeyUsage(), options.keyUsageFlushMs ?? 5_000);
      usageTimer.unref();
    })();
    return readying;
  }

  let server: Server | null = null;
  let closed: Promise<void> | null = null;

  return {
    handler: serve,
    get snapshot() {
      return snap();
    },
    ready,
    async inject(request) {
      await ready();
      // light-my-request is what Fastify's own inject is built on; loaded here only, so production never needs it.
      const { inject } = await import('light-my-request');
      const res = await inject(serve, {
        method: request.method ?? 'GET',
        url: request.url,
        headers: request.headers ?? {},
        ...(request.payload !== undefined ? { payload: request.payload } : {}),
      });
      return { statusCode: res.statusCode, headers: res.headers, body: res.body };
    },
    async start(port: number, host = '127.0.0.1') {
      await ready();
      const s = createServer({ keepAliveTimeout: 72_000 }, serve);
      server = s;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, host, () => {
          s.off('error', reject);
          resolve();
        });
      });
      const { port: actual } = s.address() as AddressInfo;
      const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
      return `http://${shown}:${actual}`;
    },
    flushKeyUsage,
    close() {
      closed ??= (async () => {
        closing = true;
        if (server) {
          const s = server;
          await new Promise<void>((resolve) => {
            s.close(() => resolve());
            // Requests in flight finish; idle keep-alive connections go now, and any left after 2 s are cut.
            s.closeIdleConnections();
            setTimeout(() => s.closeAllConnections(), 2_000).unref();
          });
        }
        if (usageTimer) clearInterval(usageTimer);
        if (readying) await readying.catch(() => {});
        await flushKeyUsage();
        await pendingSignIns.close();
        await importQueue?.stop();
        await loaded?.close();
        await db.$disconnect().catch(() => {});
        await pool.end().catch(() => {});
      })();
      return closed;
    },
  };
}
