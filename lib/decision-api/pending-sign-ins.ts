import type { Logger } from 'pino';
import type { Db } from '@/lib/db-client';
import { sqlStateOf } from '@/lib/errors';
import type { SignInIdentity } from '@/lib/provisioning/identity';
import { recordSignIn, type SignInPlace } from '@/lib/provisioning/sign-in';

/** Socket errors, Prisma's "cannot reach / pool timeout" codes and its driver adapter's kinds for a lost database. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'P1001', 'P1002', 'P1017', 'P2024']);
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout']);
const UNREACHABLE_MESSAGE = /connection terminated|ECONNREFUSED|timeout exceeded when trying to connect|can't reach database|server has closed the connection|the database system is (shutting down|starting up)/i;

/**
 * Whether a thrown value says the database could not be reached (refused, cut, shutting down, pool timed out), as
 * opposed to a statement that failed: only the former is worth queuing and retrying. Walks `cause` and Prisma's
 * driver adapter wrapper, where pg's own error ends up.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  const state = sqlStateOf(error);
  // SQLSTATE class 08 (connection exception), 57P01–57P03 (admin/crash shutdown, cannot connect now).
  if (state !== null && (state.startsWith('08') || ['57P01', '57P02', '57P03'].includes(state))) return true;
  const seen = new Set<unknown>();
  let e: unknown = error;
  while (e !== null && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const o = e as { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    if (typeof o.code === 'string' && UNREACHABLE_CODES.has(o.code)) return true;
    if (typeof o.kind === 'string' && UNREACHABLE_KINDS.has(o.kind)) return true;
    if (typeof o.message === 'string' && UNREACHABLE_MESSAGE.test(o.message)) return true;
    e = o.meta?.driverAdapterError ?? o.cause;
  }
  return false;
}

interface PendingSignIn {
  requestId: string;
  identity: SignInIdentity;
  place: SignInPlace;
}

/**
 * Sign-ins the login decision answered while the database was unreachable (from the snapshot), kept in memory to
 * be recorded once it is back: bounded (when full, `add` refuses and the caller answers 503), retried in order
 * every `retryMs`. A write that fails for another reason than an outage is logged and dropped, not retried forever.
 * Lost if the process dies first: the decision was given, only the login event and counters are missing.
 */
export class PendingSignIns {
  private readonly queue: PendingSignIn[] = [];
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly options: { max?: number; retryMs?: number } = {},
  ) {}

  /** How many sign-ins wait to be recorded. */
  get size(): number {
    return this.queue.length;
  }

  /** Queues a sign-in; false when the queue is full (the caller must not answer as if it were recorded). */
  add(requestId: string, identity: SignInIdentity, place: SignInPlace): boolean {
    if (this.queue.length >= (this.options.max ?? 10_000)) return false;
    this.queue.push({ requestId, identity, place });
    if (this.queue.length === 1) this.log.warn('decision API: the database is unreachable; sign-ins are queued to be recorded when it is back');
    this.schedule();
    return true;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.drain();
    }, this.options.retryMs ?? 1_000);
    this.timer.unref();
  }

  /** Records the queued sign-ins in order; stops at the first outage error and tries again later. */
  drain(): Promise<void> {
    this.draining ??= (async () => {
      try {
        while (this.queue.length > 0) {
          const next = this.queue[0]!;
          try {
            await recordSignIn(this.db, { requestId: next.requestId }, next.identity, next.place);
          } catch (error) {
            if (isDatabaseUnreachable(error)) {
              this.schedule();
              return;
            }
            this.log.error({ err: error, requestId: next.requestId }, 'decision API: a queued sign-in could not be recorded; dropped');
          }
          this.queue.shift();
        }
        this.log.info('decision API: the queued sign-ins are recorded');
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  /** Stops retrying (on close), after one last attempt. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.drain();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.queue.length > 0) this.log.error({ lost: this.queue.length }, 'decision API: closing with sign-ins not recorded');
  }
}
