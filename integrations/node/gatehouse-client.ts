/**
 * A small client for Gatehouse's decision API, for Node backends (Node 20+: global fetch, no dependencies).
 *
 *   const gatehouse = createGatehouseClient({ baseUrl: process.env.GATEHOUSE_URL!, apiKey: process.env.GATEHOUSE_API_KEY! });
 *   const { allow, reason } = await gatehouse.check({
 *     subject: { type: 'user', sub },
 *     organization: 'acme',
 *     target: { type: 'permission', audience: 'https://api.example.com', permission: 'read:reports' },
 *   });
 *
 * Answers are kept in a short in-memory cache (5 s by default, at most 10,000 entries, least recently used first
 * out), so a burst of requests for the same subject, org and target costs one call. A deny is a normal answer;
 * anything that is not an answer (no connection, timeout, a refused key, bad input) throws a `GatehouseError`.
 * The key needs the scope "check".
 */

import type {
  ApiErrorBody,
  CheckBatchResult,
  CheckInput,
  CheckResult,
  DecisionApiErrorCode,
} from '@/lib/schemas/decision-api';
import type { ImportJobDto, ImportRowDto } from '@/lib/provisioning/import/jobs';

// The contract's own types (inferred from the zod schemas that validate the requests); type-only, so the client
// carries no runtime dependency.
export type { ApiErrorBody, CheckResult };

/** A bulk import as the API reports it (status, progress, the dry run's plan and what the run applied). */
export type ImportJob = ImportJobDto;
export type ImportReportRow = ImportRowDto;
export interface ImportStatus {
  job: ImportJob;
  rows: ImportReportRow[];
  nextAfter: number | null;
}

/** One question: a subject, optionally the org slug the request works in, optionally a target. */
export type CheckRequest = CheckInput;
export type Subject = CheckInput['subject'];
export type CheckTarget = NonNullable<CheckInput['target']>;
/** One batch answer: the decision, or that item's error (e.g. NOT_FOUND for an unknown subject). */
export type CheckBatchItem = CheckBatchResult['results'][number];

/** Codes Gatehouse answers with, and the client's own for calls that never got a usable answer. */
export type GatehouseErrorCode = DecisionApiErrorCode | 'TIMEOUT' | 'UNREACHABLE' | 'BAD_RESPONSE';

/**
 * Anything that is not a decision. `status` is the HTTP status, or null when Gatehouse never answered.
 * Decide what an error means for your request; failing closed (treating it as a deny) is the safe default.
 */
export class GatehouseError extends Error {
  override readonly name = 'GatehouseError';

  constructor(
    readonly code: GatehouseErrorCode,
    message: string,
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True when retrying later may help (no answer, timeout, 429, 5xx); false for a refused key or bad input. */
  get retryable(): boolean {
    return this.status === null || this.status === 429 || this.status >= 500;
  }
}

export interface GatehouseClientOptions {
  /** The decision API's URL, e.g. https://gatehouse.example.com:3001 (without /api/v1). */
  baseUrl: string;
  /** An API key with the scope "check". */
  apiKey: string;
  /** How long an answer is reused; 0 turns the cache off. Default 5000. */
  cacheTtlMs?: number;
  /** Per call. Default 2000. */
  timeoutMs?: number;
  /** Default 10,000. */
  maxCacheEntries?: number;
  /** Defaults to the global fetch; pass your own to add an agent, tracing or a test double. */
  fetch?: typeof fetch;
  /** Per import upload or status call. Default 120000. */
  importTimeoutMs?: number;
}

export interface GatehouseClient {
  check(request: CheckRequest): Promise<CheckResult>;
  /**
   * One answer per item, in order: a decision, or that item's error (see `isCheckError`); only a failure of the
   * whole call throws. More than 1,000 items are sent in several calls.
   */
  checkBatch(items: CheckRequest[]): Promise<CheckBatchItem[]>;
  /** Forgets every cached answer (for example after changing someone's roles). */
  clearCache(): void;
  /**
   * Uploads a bulk import (CSV or, with a `.jsonl` name, JSON Lines; needs the key scope "import"). Answers the dry
   * run's plan; `run: true` also queues the run. Bad files throw BAD_INPUT naming the row and column.
   */
  importFile(file: string | Uint8Array, options?: { name?: string; run?: boolean; sendInvitations?: boolean }): Promise<ImportJob>;
  /** An import's status and a page of its per-row report (`after`: the previous page's `nextAfter`). */
  getImport(id: string, options?: { after?: number; limit?: number; errorsOnly?: boolean }): Promise<ImportStatus>;
  /** Polls an import until it is no longer queued or running (every `intervalMs`, default 1000), then answers it. */
  waitForImport(id: string, options?: { intervalMs?: number; timeoutMs?: number }): Promise<ImportJob>;
}

/** The decision API accepts at most this many items per batch call. */
export const MAX_BATCH_ITEMS = 1000;

const STATUS_CODES: Record<number, GatehouseErrorCode> = {
  400: 'BAD_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
};
const KNOWN_CODES = new Set<string>([...Object.values(STATUS_CODES), 'INTERNAL']);

/** True for a batch item Gatehouse could not answer (`{ error: { code, message } }`). */
export function isCheckError(item: CheckBatchItem): item is ApiErrorBody {
  return 'error' in item;
}

export function createGatehouseClient(options: GatehouseClientOptions): GatehouseClient {
  const baseUrl = options.baseUrl.trim().replace(/\/+$/, '');
  if (!/^https?:\/\//i.test(baseUrl)) throw new TypeError('createGatehouseClient: baseUrl must be an http(s) URL');
  if (!options.apiKey) throw new TypeError('createGatehouseClient: apiKey is required');
  const ttlMs = options.cacheTtlMs ?? 5000;
  const timeoutMs = options.timeoutMs ?? 2000;
  const cache = new TtlCache<CheckResult>(options.maxCacheEntries ?? 10_000);
  const doFetch = options.fetch ?? globalThis.fetch;

  const importTimeoutMs = options.importTimeoutMs ?? 120_000;

  function post(path: string, body: unknown): Promise<unknown> {
    return send('POST', path, { body: JSON.stringify(body), contentType: 'application/json', timeout: timeoutMs });
  }

  async function send(method: 'GET' | 'POST', path: string, req: { body?: string | Uint8Array; contentType?: string; timeout: number }): Promise<unknown> {
    let response: Response;
    let data: unknown;
    const timeoutMs = req.timeout;
    try {
      response = await doFetch(`${baseUrl}/api/v1${path}`, {
        method,
        headers: { ...(req.contentType ? { 'content-type': req.contentType } : {}), accept: 'application/json', authorization: `Bearer ${options.apiKey}` },
        ...(req.body !== undefined ? { body: typeof req.body === 'string' ? req.body : new Blob([req.body as Uint8Array<ArrayBuffer>]) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      data = await response.json().catch(() => undefined);
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        throw new GatehouseError('TIMEOUT', `Gatehouse did not answer within ${timeoutMs} ms`, null, { cause: error });
      }
      throw new GatehouseError('UNREACHABLE', `Gatehouse is unreachable at ${baseUrl}`, null, { cause: error });
    }
    if (!response.ok) {
      const err = (data as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      const code: GatehouseErrorCode =
        typeof err?.code === 'string' && KNOWN_CODES.has(err.code)
          ? (err.code as GatehouseErrorCode)
          : (STATUS_CODES[response.status] ?? (response.status >= 500 ? 'INTERNAL' : 'BAD_RESPONSE'));
      const message = typeof err?.message === 'string' ? err.message : `Gatehouse answered HTTP ${response.status}`;
      throw new GatehouseError(code, message, response.status);
    }
    return data;
  }

  function ttlOk(): boolean {
    return ttlMs > 0;
  }

  return {
    async importFile(file, opts = {}) {
      const name = opts.name ?? 'import.csv';
      const query = new URLSearchParams({ name, ...(opts.run ? { run: 'true' } : {}), ...(opts.sendInvitations ? { sendInvitations: 'true' } : {}) });
      const contentType = /\.(jsonl|ndjson)$/i.test(name) ? 'application/x-ndjson' : 'text/csv; charset=utf-8';
      const data = await send('POST', `/imports?${query}`, { body: file, contentType, timeout: importTimeoutMs });
      const job = (data as { job?: ImportJob } | undefined)?.job;
      if (!job) throw new GatehouseError('BAD_RESPONSE', 'Gatehouse answered an import without its job', 201);
      return job;
    },

    async getImport(id, opts = {}) {
      const query = new URLSearchParams({
        ...(opts.after !== undefined ? { after: String(opts.after) } : {}),
        ...(opts.limit !== undefined ? { limit: String(opts.limit) } : {}),
        ...(opts.errorsOnly ? { errors: 'true' } : {}),
      });
      const data = (await send('GET', `/imports/${encodeURIComponent(id)}${query.size ? `?${query}` : ''}`, { timeout: importTimeoutMs })) as ImportStatus | undefined;
      if (!data?.job) throw new GatehouseError('BAD_RESPONSE', 'Gatehouse answered an import status without its job', 200);
      return data;
    },

    async waitForImport(id, opts = {}) {
      const deadline = Date.now() + (opts.timeoutMs ?? 3_600_000);
      for (;;) {
        const { job } = await this.getImport(id, { limit: 1 });
        if (job.status !== 'QUEUED' && job.status !== 'RUNNING') return job;
        if (Date.now() > deadline) throw new GatehouseError('TIMEOUT', `The import ${id} did not finish in time`, null);
        await new Promise((r) => setTimeout(r, opts.intervalMs ?? 1_000));
      }
    },

    async check(request) {
      const key = cacheKey(request);
      const cached = ttlOk() ? cache.get(key) : undefined;
      if (cached) return cached;
      const result = toResult(await post('/check', request), 200);
      if (ttlOk()) cache.set(key, result, ttlMs);
      return result;
    },

    async checkBatch(items) {
      const results: (CheckBatchItem | undefined)[] = new Array(items.length);
      const missing: { index: number; key: string }[] = [];
      items.forEach((item, index) => {
        const key = cacheKey(item);
        const cached = ttlOk() ? cache.get(key) : undefined;
        if (cached) results[index] = cached;
        else missing.push({ index, key });
      });
      for (let start = 0; start < missing.length; start += MAX_BATCH_ITEMS) {
        const chunk = missing.slice(start, start + MAX_BATCH_ITEMS);
        const data = await post('/check/batch', { items: chunk.map((m) => items[m.index]) });
        const answers = (data as { results?: unknown } | undefined)?.results;
        if (!Array.isArray(answers) || answers.length !== chunk.length) {
          throw new GatehouseError('BAD_RESPONSE', `Gatehouse answered a batch of ${chunk.length} without as many results`, 200);
        }
        chunk.forEach((m, i) => {
          const answer: unknown = answers[i];
          if (isErrorBody(answer)) {
            // Item errors are not cached: the subject may exist a moment later.
            results[m.index] = answer;
            return;
          }
          const result = toResult(answer, 200);
          results[m.index] = result;
          if (ttlOk()) cache.set(m.key, result, ttlMs);
        });
      }
      return results as CheckBatchItem[];
    },

    clearCache() {
      cache.clear();
    },
  };
}

function isErrorBody(data: unknown): data is ApiErrorBody {
  const err = (data as { error?: { code?: unknown; message?: unknown } } | null | undefined)?.error;
  return typeof err?.code === 'string' && typeof err.message === 'string';
}

/** Checks the shape the rest of the backend relies on; the API's own schema guarantees the details. */
function toResult(data: unknown, status: number): CheckResult {
  const d = data as Partial<CheckResult> | null | undefined;
  if (
    !d ||
    typeof d.allow !== 'boolean' ||
    typeof d.reason?.code !== 'string' ||
    typeof d.reason.message !== 'string' ||
    !Array.isArray(d.roles) ||
    !Array.isArray(d.permissions)
  ) {
    throw new GatehouseError('BAD_RESPONSE', 'Gatehouse answered without a decision', status);
  }
  return d as CheckResult;
}

/** The same question gives the same key, whatever the order of its properties. */
function cacheKey(request: CheckRequest): string {
  return stableStringify(request);
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A bounded map with a time to live per entry. A Map keeps insertion order, so moving an entry to the end on every
 * hit makes the first one the least recently used, which is the one dropped when full.
 */
class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(private readonly maxEntries: number) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= Date.now()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, ttlMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
