import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailDomainOf, matchRules, ruleMatches, type MatchableRule } from './rules';

let n = 0;
function rule(overrides: Partial<MatchableRule> = {}): MatchableRule {
  n += 1;
  return {
    id: `rule-${String(n).padStart(3, '0')}`,
    position: n,
    enabled: true,
    stop: false,
    connection: null,
    emailDomain: null,
    requireVerifiedEmail: false,
    ...overrides,
  };
}

const corpUser = { email: 'Ivan@Corp.Test', emailVerified: true, connection: 'corp-azure-ad' };
const customer = { email: 'ada@example.test', emailVerified: false, connection: 'Username-Password-Authentication' };

describe('emailDomainOf', () => {
  it('takes the part after the last @, in lower case', () => {
    expect(emailDomainOf('Ada@Example.TEST')).toBe('example.test');
    expect(emailDomainOf('"a@b"@c.test')).toBe('c.test');
    expect(emailDomainOf('no-at-sign')).toBeNull();
    expect(emailDomainOf('trailing@')).toBeNull();
  });
});

describe('ruleMatches', () => {
  it('matches anyone when it has no condition', () => {
    expect(ruleMatches(rule(), corpUser)).toBe(true);
    expect(ruleMatches(rule(), { ...customer, connection: null })).toBe(true);
  });

  it('compares the connection exactly', () => {
    expect(ruleMatches(rule({ connection: 'corp-azure-ad' }), corpUser)).toBe(true);
    expect(ruleMatches(rule({ connection: 'corp-azure-ad' }), customer)).toBe(false);
    expect(ruleMatches(rule({ connection: 'Corp-Azure-AD' }), corpUser)).toBe(false);
    expect(ruleMatches(rule({ connection: 'corp-azure-ad' }), { ...corpUser, connection: null })).toBe(false);
  });

  it('compares the email domain exactly, whatever the case of the address; sub-domains do not match', () => {
    expect(ruleMatches(rule({ emailDomain: 'corp.test' }), corpUser)).toBe(true);
    expect(ruleMatches(rule({ emailDomain: 'corp.test' }), { ...corpUser, email: 'x@eu.corp.test' })).toBe(false);
    expect(ruleMatches(rule({ emailDomain: 'corp.test' }), { ...corpUser, email: 'x@notcorp.test' })).toBe(false);
    expect(ruleMatches(rule({ emailDomain: 'corp.test' }), customer)).toBe(false);
  });

  it('requires a verified email only when asked to', () => {
    expect(ruleMatches(rule({ requireVerifiedEmail: true }), corpUser)).toBe(true);
    expect(ruleMatches(rule({ requireVerifiedEmail: true }), customer)).toBe(false);
    expect(ruleMatches(rule({ requireVerifiedEmail: false }), customer)).toBe(true);
  });

  it('needs every condition at once', () => {
    const all = rule({ connection: 'corp-azure-ad', emailDomain: 'corp.test', requireVerifiedEmail: true });
    expect(ruleMatches(all, corpUser)).toBe(true);
    expect(ruleMatches(all, { ...corpUser, emailVerified: false })).toBe(false);
    expect(ruleMatches(all, { ...corpUser, connection: 'google-oauth2' })).toBe(false);
    expect(ruleMatches(all, { ...corpUser, email: 'ivan@other.test' })).toBe(false);
  });
});

describe('matchRules', () => {
  it('returns the matching enabled rules in position order, whatever order they come in', () => {
    const a = rule({ position: 1, connection: 'corp-azure-ad' });
    const b = rule({ position: 2, emailDomain: 'example.test' });
    const c = rule({ position: 3 });
    expect(matchRules([c, b, a], corpUser).map((r) => r.id)).toEqual([a.id, c.id]);
    expect(matchRules([c, a, b], customer).map((r) => r.id)).toEqual([b.id, c.id]);
  });

  it('stops after the first matching rule with stop, and includes it', () => {
    const internal = rule({ position: 1, connection: 'corp-azure-ad', stop: true });
    const everyone = rule({ position: 2 });
    expect(matchRules([internal, everyone], corpUser)).toEqual([internal]);
    // A stop rule that does not match stops nothing.
    expect(matchRules([internal, everyone], customer)).toEqual([everyone]);
  });

  it('ignores disabled rules, which neither match nor stop', () => {
    const off = rule({ position: 1, enabled: false, stop: true });
    const on = rule({ position: 2 });
    expect(matchRules([off, on], corpUser)).toEqual([on]);
  });

  it('breaks position ties by id, so the order is stable', () => {
    const x = rule({ id: 'b', position: 5 });
    const y = rule({ id: 'a', position: 5, stop: true });
    expect(matchRules([x, y], corpUser)).toEqual([y]);
  });

  it('returns nothing for no rules, and does not reorder its input', () => {
    expect(matchRules([], corpUser)).toEqual([]);
    const input = [rule({ position: 2 }), rule({ position: 1 })];
    const copy = [...input];
    matchRules(input, corpUser);
    expect(input).toEqual(copy);
  });

  it('always answers an ordered subset of the enabled, matching rules with at most one stop rule, as the last', () => {
    const arbRule = fc.record({
      id: fc.uuid(),
      position: fc.integer({ min: 0, max: 20 }),
      enabled: fc.boolean(),
      stop: fc.boolean(),
      connection: fc.constantFrom(null, 'corp-azure-ad', 'google-oauth2'),
      emailDomain: fc.constantFrom(null, 'corp.test', 'example.test'),
      requireVerifiedEmail: fc.boolean(),
    });
    const arbUser = fc.record({
      email: fc.constantFrom('a@corp.test', 'b@example.test', 'c@else.test'),
      emailVerified: fc.boolean(),
      connection: fc.constantFrom(null, 'corp-azure-ad', 'google-oauth2'),
    });
    fc.assert(
      fc.property(fc.array(arbRule, { maxLength: 12 }), arbUser, (rules, user) => {
        const out = matchRules(rules, user);
        for (const r of out) expect(r.enabled && ruleMatches(r, user)).toBe(true);
        for (let i = 1; i < out.length; i++) expect(out[i - 1]!.position <= out[i]!.position).toBe(true);
        const stops = out.filter((r) => r.stop);
        expect(stops.length).toBeLessThanOrEqual(1);
        if (stops.length === 1) expect(out[out.length - 1]).toBe(stops[0]);
        // Without a stop rule among the matches, every enabled matching rule is there.
        if (stops.length === 0) expect(out.length).toBe(rules.filter((r) => r.enabled && ruleMatches(r, user)).length);
      }),
    );
  });
});
