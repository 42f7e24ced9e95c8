import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import pg from 'pg';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { z } from 'zod';
import { apiKeyMatches, hashApiKey, parseApiKey, type ApiKeyScope } from '@/lib/access/api-keys';
import { AppError, ERROR_STATUS } from '@/lib/errors';
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
} from '@/lib/schemas/decision-api';
import { checkDecision, clientCredentialsDecision, loginDecision } from './decisions';
import { buildOpenApiDocument } from './openapi';
import { DecisionSnapshot, type ApiKeyEntry, type DecisionSnapshotOptions } from './snapshot';

/**
 * The decision API (`/api/v1`) as its own lean Node process (docs/decisions/0007-decision-api.md): Fastify, no
 * per-request logging, and no database query on the check path: API keys, users, orgs, assignments and the catalog
 * come from the in-memory snapshot (./snapshot.ts), which obeys a change made anywhere within a second. The login
 * decision also writes: it records the sign-in with lib/data/users.ts (Prisma, DATABASE_URL) before deciding.
 *
 * Every error is `{ error: { code, message } }` with the status of lib/errors.ts; a deny is a 200.
 */

export const DEFAULT_RATE_LIMIT_PER_SECOND = 20_000;
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Health answers 503 `stale` when the snapshot was not confirmed current for this long. */
export const STALE_AFTER_MS = 5_000;

export interface DecisionServerOptions {
  /** The database the snapshot reads. The login decision writes through lib/db.ts, which reads DATABASE_URL: both must agree. */
  databaseUrl: string;
  logger?: Logger;
  /** Requests per second per API key. Default: DECISIONS_RATE_LIMIT_PER_SECOND, else 20,000. */
  rateLimitPerSecond?: number;
  /** How often API keys' last_used_at is written. Default 5 s. */
  keyUsageFlushMs?: number;
  /** Snapshot tuning (poll interval, LISTEN, change_log retention). */
  snapshot?: Omit<DecisionSnapshotOptions, 'databaseUrl' | 'logger'>;
}

export interface DecisionServer {
  /** The Fastify instance (`app.inject` works without listening; it loads the snapshot first). */
  readonly app: FastifyInstance;
  /** The in-memory snapshot; available once `ready()` or `start()` has resolved. */
  readonly snapshot: DecisionSnapshot;
  /** Loads the snapshot (and starts keeping it current) without listening. */
  ready(): Promise<void>;
  /**
   * Loads the snapshot and listens on `port` (0: any free port) and `host` (default 127.0.0.1); resolves to the
   * base URL, e.g. http://127.0.0.1:3001.
   */
  start(port: number, host?: string): Promise<string>;
  /** Writes the pending last_used_at of API keys now (also done every few seconds and on close). */
  flushKeyUsage(): Promise<void>;
  /** Stops listening, writes key usage, closes the snapshot and the connections. */
  close(): Promise<void>;
}

class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', `Too many requests with this API key; retry after ${retryAfterSeconds} s.`);
  }
}

/** A hash no key has, compared against when the prefix is unknown, so both failures take the same time. */
const NO_KEY_HASH = hashApiKey('gh_00000000_none');
const BEARER_RE = /^bearer\s+/i;

function errorBody(code: DecisionApiErrorCode, message: string): ApiErrorBody {
  return { error: { code, message } };
}

function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  if (body === undefined || body === null) throw new AppError('BAD_INPUT', 'Send a JSON body (Content-Type: application/json).');
  const issues = result.error.issues.slice(0, 3).map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`);
  const more = result.error.issues.length > 3 ? ` (and ${result.error.issues.length - 3} more)` : '';
  throw new AppError('BAD_INPUT', `${issues.join('; ')}${more}`);
}

/**
 * Builds the decision server. Nothing is loaded or opened until `ready()`, `start()` or the first `app.inject`;
 * then the snapshot loads (about 4 s and 110 MB for 100,000 users with 300,000 memberships) and is kept current
 * until `close()`.
 */
export function createDecisionServer(options: DecisionServerOptions): DecisionServer {
  const log = options.logger ?? rootLogger.child({ component: 'decision-api' });
  // recordSignIn (the login decision) uses the process-wide Prisma client, which connects to DATABASE_URL.
  process.env.DATABASE_URL ??= options.databaseUrl;
  if (process.env.DATABASE_URL !== options.databaseUrl) {
    throw new Error('createDecisionServer: databaseUrl differs from DATABASE_URL, which the login decision writes to');
  }
  const perSecond = options.rateLimitPerSecond ?? (Number(process.env.DECISIONS_RATE_LIMIT_PER_SECOND) || DEFAULT_RATE_LIMIT_PER_SECOND);
  if (!Number.isInteger(perSecond) || perSecond < 1) throw new Error(`the rate limit must be a positive integer, not ${perSecond}`);

  let loaded: DecisionSnapshot | null = null;
  const snap = (): DecisionSnapshot => {
    if (!loaded) throw new Error('the decision server is not ready: call ready() or start() first');
    return loaded;
  };
  const limiter = new RateLimiterMemory({ points: perSecond, duration: 1 });
  const usagePool = new pg.Pool({ connectionString: options.databaseUrl, max: 1 });
  usagePool.on('error', () => {});
  /** API key id → when it was last used (epoch ms), written in batches. */
  let keyUsage = new Map<string, number>();
  const openApiJson = JSON.stringify(buildOpenApiDocument());

  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(given) ? given : randomUUID();
    },
  });

  const verifiedKeys = new Map<string, ApiKeyEntry>();

  function authenticate(req: FastifyRequest, scope: ApiKeyScope): ApiKeyEntry {
    const header = req.headers.authorization;
    if (header === undefined || !BEARER_RE.test(header)) {
      throw new AppError('UNAUTHENTICATED', 'Send a decision API key: Authorization: Bearer gh_<prefix>_<secret>.');
    }
    const presented = header.replace(BEARER_RE, '').trim();
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

  const guard = (scope: ApiKeyScope) =>
    async function requireApiKey(req: FastifyRequest): Promise<void> {
      const key = authenticate(req, scope);
      try {
        await limiter.consume(key.id);
      } catch (error) {
        if (error instanceof RateLimiterRes) throw new RateLimitedError(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
        throw error;
      }
      keyUsage.set(key.id, Date.now());
    };

  app.setErrorHandler((error: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
      const code = error.code === 'CONFLICT' ? 'BAD_INPUT' : error.code;
      return reply.code(ERROR_STATUS[code]).send(errorBody(code, error.message));
    }
    const status = error.statusCode;
    if (status === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send(errorBody('PAYLOAD_TOO_LARGE', `The body is larger than ${BODY_LIMIT_BYTES / 1024 / 1024} MiB.`));
    }
    if (status === 415) return reply.code(400).send(errorBody('BAD_INPUT', 'Send a JSON body (Content-Type: application/json).'));
    if (status !== undefined && status >= 400 && status < 500) {
      const json = typeof error.code === 'string' && error.code.includes('JSON');
      return reply.code(400).send(errorBody('BAD_INPUT', json ? 'The body is not valid JSON.' : 'The request is malformed.'));
    }
    log.error({ err: error, requestId: req.id, url: req.url }, 'decision API: unexpected error');
    return reply
      .code(500)
      .send({ error: { code: 'INTERNAL', message: 'Something went wrong on our side. Try again; if it keeps happening, quote the request id.', requestId: req.id } });
  });

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(errorBody('NOT_FOUND', `There is no ${req.method} ${req.url.split('?')[0]} in the decision API.`));
  });

  app.post('/api/v1/check', { onRequest: guard('check') }, async (req) => checkDecision(snap(), parseBody(CheckInput, req.body), new Date()));

  app.post('/api/v1/check/batch', { onRequest: guard('check') }, async (req): Promise<CheckBatchResult> => {
    const items = (req.body as { items?: unknown } | null | undefined)?.items;
    if (Array.isArray(items) && items.length > MAX_BATCH_ITEMS) {
      throw new AppError('PAYLOAD_TOO_LARGE', `A batch holds at most ${MAX_BATCH_ITEMS} items; this one has ${items.length}.`);
    }
    const input = parseBody(CheckBatchInput, req.body);
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
  });

  app.post('/api/v1/decisions/client-credentials', { onRequest: guard('decisions:client_credentials') }, async (req) =>
    clientCredentialsDecision(snap(), parseBody(ClientCredentialsDecisionInput, req.body), new Date()),
  );

  app.post('/api/v1/decisions/login', { onRequest: guard('decisions:login') }, async (req) =>
    loginDecision(snap(), parseBody(LoginDecisionInput, req.body), { requestId: req.id }),
  );

  app.get('/api/v1/openapi.json', async (_req, reply) => reply.type('application/json; charset=utf-8').send(openApiJson));

  app.get('/api/v1/health', async (_req, reply): Promise<HealthResult> => {
    const snapshotAgeMs = snap().snapshotAgeMs;
    const status = snapshotAgeMs <= STALE_AFTER_MS ? 'ok' : 'stale';
    reply.code(status === 'ok' ? 200 : 503);
    return { status, snapshotAgeMs };
  });

  async function flushKeyUsage(): Promise<void> {
    if (keyUsage.size === 0) return;
    const batch = keyUsage;
    keyUsage = new Map();
    try {
      await usagePool.query(
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

  app.addHook('onReady', async () => {
    loaded = await DecisionSnapshot.open({ databaseUrl: options.databaseUrl, logger: log, ...options.snapshot });
    usageTimer = setInterval(() => void flushKeyUsage(), options.keyUsageFlushMs ?? 5_000);
    usageTimer.unref();
  });
  app.addHook('onClose', async () => {
    if (usageTimer) clearInterval(usageTimer);
    await flushKeyUsage();
    await loaded?.close();
    await usagePool.end().catch(() => {});
  });

  return {
    app,
    get snapshot() {
      return snap();
    },
    async ready() {
      await app.ready();
    },
    async start(port: number, host = '127.0.0.1') {
      await app.listen({ port, host });
      const { port: actual } = app.server.address() as AddressInfo;
      const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
      return `http://${shown}:${actual}`;
    },
    flushKeyUsage,
    async close() {
      await app.close();
    },
  };
}
