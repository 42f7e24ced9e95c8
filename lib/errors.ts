/**
 * The one error type. Only AppError messages reach a user; anything else is logged with a request id and answered
 * with a generic message.
 */

export const ERROR_STATUS = {
  BAD_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export type FieldErrors = Record<string, string[]>;

/**
 * Why a request was refused, where the code alone does not tell the cases apart and a page must answer them
 * differently (lib/authz/page.ts): a blocked account signs out, a suspended org has its own page. Never shown.
 */
export type ErrorReason = { kind: 'account_blocked' } | { kind: 'org_suspended'; orgSlug: string };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors?: FieldErrors;
  readonly reason?: ErrorReason;

  constructor(code: ErrorCode, message: string, options: { fieldErrors?: FieldErrors; reason?: ErrorReason; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.fieldErrors = options.fieldErrors;
    this.reason = options.reason;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export interface PublicError {
  code: ErrorCode;
  message: string;
  fieldErrors?: FieldErrors;
  requestId?: string;
}

const GENERIC_MESSAGE = 'Something went wrong on our side. Try again; if it keeps happening, quote the request id.';

/**
 * SQLSTATEs with which PostgreSQL refuses a value as given, not the statement: bytes that cannot be text in the
 * database's encoding (a NUL: 22021 character_not_in_repertoire; 22P05 untranslatable_character), a value too long
 * for its column (22001 string_data_right_truncation), text that is not of the column's type (22P02
 * invalid_text_representation, e.g. a malformed uuid). Our statements are parameterized, so these come from input.
 */
const INPUT_SQLSTATES = new Set(['22021', '22P05', '22001', '22P02']);

/**
 * The SQLSTATE of a PostgreSQL error, whether thrown by `pg` (`code`) or wrapped by Prisma's driver adapter
 * (`meta.driverAdapterError.cause.originalCode`); null for anything else.
 */
export function sqlStateOf(error: unknown): string | null {
  const e = error as {
    code?: unknown;
    meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } };
    cause?: { code?: unknown };
  } | null;
  const candidates = [e?.meta?.driverAdapterError?.cause?.originalCode, e?.meta?.driverAdapterError?.cause?.code, e?.code, e?.cause?.code];
  const found = candidates.find((c): c is string => typeof c === 'string' && /^[0-9A-Z]{5}$/.test(c) && !c.startsWith('P'));
  return found ?? null;
}

/**
 * SQLSTATEs with which PostgreSQL says it is going away or cannot take the session, not that the statement is wrong:
 * 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up or shutting down), 08xxx
 * connection exceptions, 53300 too_many_connections.
 */
const UNAVAILABLE_SQLSTATES = /^(57P0[1-3]|08[0-9A-Z]{3}|53300)$/;
/** The driver adapter's kinds for a database that cannot be reached (`meta.driverAdapterError.cause.kind`). */
const UNAVAILABLE_ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError']);
/** Node's socket errors on connecting (`pg` throws them as they are). */
const UNAVAILABLE_SYSCALL_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
/** Prisma's own codes for an unreachable server (P1001), a timeout (P1002, P1008), a closed connection (P1017), a pool timeout (P2024). */
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** Messages of `pg` and Prisma that carry no code: a dropped connection, a pool that could not connect in time. */
const UNAVAILABLE_MESSAGE = /Can't reach database server|Connection terminated|timeout exceeded when trying to connect|Connection refused|the database system is (shutting down|starting up)/i;

/** The message every database outage answers with, for actions: nothing was written, and it is worth trying again. */
export const UNAVAILABLE_MESSAGE_TEXT = 'The database is unreachable; nothing was saved. Try again in a moment.';

/**
 * True when a thrown value says the database cannot be reached (refused, dropped, shutting down, pool timed out),
 * whether thrown by `pg` or by Prisma through its driver adapter, looking through `cause` chains.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Follows `cause` and Prisma's driver adapter wrapper (`meta.driverAdapterError`), where pg's own error ends up.
  const next = (e: object): unknown => (e as { meta?: { driverAdapterError?: unknown } }).meta?.driverAdapterError ?? (e as { cause?: unknown }).cause;
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 6; e = next(e), depth++) {
    const x = e as { code?: unknown; message?: unknown; kind?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
    if (typeof x.code === 'string' && (UNAVAILABLE_SYSCALL_CODES.has(x.code) || UNAVAILABLE_PRISMA_CODES.has(x.code) || UNAVAILABLE_SQLSTATES.test(x.code))) {
      return true;
    }
    const kind = x.meta?.driverAdapterError?.cause?.kind ?? x.kind;
    if (typeof kind === 'string' && UNAVAILABLE_ADAPTER_KINDS.has(kind)) return true;
    const state = sqlStateOf(e);
    if (state !== null && UNAVAILABLE_SQLSTATES.test(state)) return true;
    if (typeof x.message === 'string' && UNAVAILABLE_MESSAGE.test(x.message)) return true;
  }
  return false;
}

/**
 * The AppError a thrown value is or stands for: itself, BAD_INPUT for a database refusal of an input value (see
 * INPUT_SQLSTATES), UNAVAILABLE for a database that cannot be reached (isDatabaseUnavailable); null for a real
 * failure (a bug), which callers log and answer as INTERNAL.
 * Every answer path (actions, route handlers, the decision API) maps errors through this.
 */
export function asAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) return new AppError('UNAVAILABLE', UNAVAILABLE_MESSAGE_TEXT, { cause: error });
  const state = sqlStateOf(error);
  if (state !== null && INPUT_SQLSTATES.has(state)) {
    return new AppError('BAD_INPUT', 'Some of the input cannot be stored: remove control characters (such as NUL) and check lengths and formats.', {
      cause: error,
    });
  }
  return null;
}

/** Turns any thrown value into what may be shown to a user; unknown errors become a generic message. */
export function toPublicError(thrown: unknown, requestId?: string): PublicError {
  const error = asAppError(thrown);
  if (error) {
    return {
      code: error.code,
      message: error.message,
      ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
      ...(requestId ? { requestId } : {}),
    };
  }
  return { code: 'INTERNAL', message: GENERIC_MESSAGE, ...(requestId ? { requestId } : {}) };
}

/** An HTTP JSON answer `{ error: { code, message } }` with the matching status. */
export function toHttpResponse(error: unknown, requestId?: string): Response {
  const body = toPublicError(error, requestId);
  return Response.json({ error: body }, { status: ERROR_STATUS[body.code] });
}

/** True for PostgreSQL unique violations surfaced through Prisma or pg. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string }; meta?: { code?: string } } | null;
  return e?.code === 'P2002' || e?.code === '23505' || e?.cause?.code === '23505' || e?.meta?.code === '23505';
}

/** True for PostgreSQL foreign key violations (23503) surfaced through Prisma or pg. */
export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string }; meta?: { code?: string } } | null;
  return e?.code === 'P2003' || e?.code === '23503' || e?.cause?.code === '23503' || e?.meta?.code === '23503';
}
