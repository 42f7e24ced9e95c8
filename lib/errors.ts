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

/** Turns any thrown value into what may be shown to a user; unknown errors become a generic message. */
export function toPublicError(error: unknown, requestId?: string): PublicError {
  if (error instanceof AppError) {
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
