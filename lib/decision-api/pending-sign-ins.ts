import type { Logger } from 'pino';
import type { Db } from '@/lib/db-client';
import { isDatabaseUnavailable } from '@/lib/errors';
import type { SignInIdentity } from '@/lib/provisioning/identity';
import { recordSignIn, type SignInPlace } from '@/lib/provisioning/sign-in';

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
            if (isDatabaseUnavailable(error)) {
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
