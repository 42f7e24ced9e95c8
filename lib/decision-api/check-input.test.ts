import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckInput } from '@/lib/schemas/decision-api';
import { fastCheckInput } from './check-input';

/**
 * The fast reading of a /check body never accepts what the zod contract refuses, and answers the same value when it
 * accepts; it accepts the ordinary valid bodies (else it would spare nothing). Bodies are what JSON.parse gives, as
 * the server reads them.
 */

const ok = { subject: { type: 'user', sub: 'auth0|1' }, organization: 'acme', target: { type: 'application', clientId: 'app1' } };

/** Bodies the fast path must accept (and zod accepts). */
const valid: unknown[] = [
  ok,
  { subject: { type: 'user', sub: 'auth0|1' } },
  { subject: { type: 'client', clientId: 'c' }, organization: null },
  { subject: { type: 'user', sub: 'x'.repeat(255) }, organization: 'o'.repeat(100), audience: 'a'.repeat(200) },
  { audience: 'https://api', subject: { sub: 'u', type: 'user' }, target: { permission: 'read:x', type: 'permission', audience: 'https://api' } },
  { subject: { type: 'user', sub: 'ünïcödé‮ok' } },
];

/** Bodies zod refuses, each for another reason; the fast path must leave them all to zod. */
const invalid: unknown[] = [
  null,
  [],
  'text',
  42,
  {},
  { organization: 'acme' },
  { ...ok, extra: 1 },
  { ...ok, subject: { type: 'user', sub: 'u', extra: 1 } },
  { ...ok, subject: { type: 'user', clientId: 'c' } },
  { ...ok, subject: { type: 'client', sub: 'u' } },
  { ...ok, subject: { type: 'robot', sub: 'u' } },
  { ...ok, subject: { type: 'user' } },
  { ...ok, subject: { type: 'user', sub: '' } },
  { ...ok, subject: { type: 'user', sub: 'x'.repeat(256) } },
  { ...ok, subject: { type: 'user', sub: 'a\u0000b' } },
  { ...ok, subject: { type: 'user', sub: 'a\u0085b' } },
  { ...ok, subject: { type: 'user', sub: 'a\u2028b' } },
  { ...ok, subject: { type: 'user', sub: 5 } },
  { ...ok, subject: null },
  { ...ok, subject: [] },
  { ...ok, organization: '' },
  { ...ok, organization: 'o'.repeat(101) },
  { ...ok, organization: 3 },
  { ...ok, target: null },
  { ...ok, target: { type: 'application' } },
  { ...ok, target: { type: 'application', clientId: 'c', audience: 'a' } },
  { ...ok, target: { type: 'permission', audience: 'a' } },
  { ...ok, target: { type: 'permission', audience: 'a', permission: 'p'.repeat(101) } },
  { ...ok, target: { type: 'permission', audience: 'a', permission: 'p', clientId: 'c' } },
  { ...ok, target: { type: 'none' } },
  { ...ok, audience: null },
  { ...ok, audience: '' },
  { ...ok, audience: 'a'.repeat(201) },
  JSON.parse('{"subject":{"type":"user","sub":"u"},"__proto__":{"x":1}}'),
  JSON.parse('{"subject":{"type":"user","sub":"u","__proto__":{}}}'),
];

describe('fastCheckInput', () => {
  it.each(valid.map((body) => [JSON.stringify(body), body]))('accepts %s as zod does, with the same value', (_, body) => {
    const parsed = CheckInput.safeParse(body);
    expect(parsed.success).toBe(true);
    expect(fastCheckInput(body)).toStrictEqual(parsed.data);
  });

  it.each(invalid.map((body) => [JSON.stringify(body), body]))('leaves %s to zod, which refuses it', (_, body) => {
    expect(CheckInput.safeParse(body).success).toBe(false);
    expect(fastCheckInput(body)).toBeNull();
  });

  it('never accepts what zod refuses, and agrees with it on random bodies', () => {
    const str = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('', 'u', 'x'.repeat(256), 'a\u0007', 'é'), fc.integer(), fc.constant(null));
    const subject = fc.record(
      { type: fc.constantFrom('user', 'client', 'x'), sub: str, clientId: str, extra: str },
      { requiredKeys: ['type'] },
    );
    const target = fc.oneof(
      fc.constant(null),
      fc.record({ type: fc.constantFrom('application', 'permission', 'x'), clientId: str, audience: str, permission: str }, { requiredKeys: [] }),
    );
    const body = fc.record({ subject: fc.oneof(subject, fc.constant(null)), organization: str, target, audience: str, other: str }, { requiredKeys: [] });
    fc.assert(
      fc.property(body, (b) => {
        const json: unknown = JSON.parse(JSON.stringify(b));
        const parsed = CheckInput.safeParse(json);
        const fast = fastCheckInput(json);
        if (parsed.success) expect(fast).toStrictEqual(parsed.data);
        else expect(fast).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });
});
