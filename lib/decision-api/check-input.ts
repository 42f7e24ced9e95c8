import type { CheckInput } from '@/lib/schemas/decision-api';
import { SINGLE_LINE_TEXT } from '@/lib/schemas/text';

/**
 * The body of `POST /check`, read without copying. The zod schema (CheckInput, lib/schemas/decision-api.ts) stays the
 * contract and the source of every error answer; this is the same test written out for the one request the decision
 * API answers most, because a zod parse builds a new object (and its nested ones) per request, which was a visible
 * share of a check's CPU time (docs/decisions/0007-decision-api.md, the addendum of 2026-12-01, second session).
 *
 * `fastCheckInput` accepts only what CheckInput accepts (strict objects, the `text({ min: 1, max, exact: true })`
 * identifiers: strings of 1…max UTF-16 code units without control characters) and answers the body itself, which
 * then has the same fields and values as zod's output (CheckInput has no defaults or transforms). Anything else,
 * including every invalid body, gives null, and the caller parses with zod, which answers the error.
 * lib/decision-api/check-input.test.ts holds the two side by side.
 */

/** What `text({ min: 1, max, exact: true })` accepts. */
function isId(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= max && SINGLE_LINE_TEXT.test(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The subject: exactly `{ type: 'user', sub }` or `{ type: 'client', clientId }`. */
function isSubject(s: unknown): boolean {
  if (!isPlainObject(s)) return false;
  let keys = 0;
  for (const k in s) {
    if (k !== 'type' && k !== 'sub' && k !== 'clientId') return false;
    keys++;
  }
  if (keys !== 2) return false;
  if (s.type === 'user') return isId(s.sub, 255);
  if (s.type === 'client') return isId(s.clientId, 128);
  return false;
}

/** The target: exactly `{ type: 'application', clientId }` or `{ type: 'permission', audience, permission }`. */
function isTarget(t: unknown): boolean {
  if (!isPlainObject(t)) return false;
  let keys = 0;
  for (const k in t) {
    if (k !== 'type' && k !== 'clientId' && k !== 'audience' && k !== 'permission') return false;
    keys++;
  }
  if (t.type === 'application') return keys === 2 && isId(t.clientId, 128);
  if (t.type === 'permission') return keys === 3 && isId(t.audience, 200) && isId(t.permission, 100);
  return false;
}

/** The body as a CheckInput when it certainly is one; null when zod must decide (and explain). */
export function fastCheckInput(body: unknown): CheckInput | null {
  if (!isPlainObject(body)) return null;
  let subject = false;
  for (const k in body) {
    const v = body[k];
    switch (k) {
      case 'subject':
        if (!isSubject(v)) return null;
        subject = true;
        break;
      case 'organization':
        if (v !== null && v !== undefined && !isId(v, 100)) return null;
        break;
      case 'target':
        if (v !== undefined && !isTarget(v)) return null;
        break;
      case 'audience':
        if (v !== undefined && !isId(v, 200)) return null;
        break;
      default:
        return null;
    }
  }
  return subject ? (body as CheckInput) : null;
}

