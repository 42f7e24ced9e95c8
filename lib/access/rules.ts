/**
 * Default-role rules: which rules a person matches when they first sign in. Pure, so the sign-in path, the decision
 * API and the tests share one answer. Applying a rule's effect (membership, roles) is lib/data/rules.ts's job.
 */

/** What a rule asks of a person. A null condition matches anyone. */
export interface RuleConditions {
  /** Exact Auth0 connection name, e.g. `corp-azure-ad`. */
  connection: string | null;
  /** Exact email domain, lower case, without `@`, e.g. `corp.test` (sub-domains do not match). */
  emailDomain: string | null;
  requireVerifiedEmail: boolean;
}

export interface MatchableRule extends RuleConditions {
  id: string;
  position: number;
  enabled: boolean;
  /** Stop evaluating later rules when this one matches. */
  stop: boolean;
}

/** What a sign-in tells us about the person, as far as rules care. */
export interface RuleSubject {
  email: string;
  emailVerified: boolean;
  connection: string | null;
}

/** The domain of an email address, lower case (`Ada@Corp.Test` → `corp.test`); null without an `@`. */
export function emailDomainOf(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 0 || at === email.length - 1) return null;
  return email.slice(at + 1).trim().toLowerCase();
}

/** True when the person meets every condition of the rule (enabled or not). */
export function ruleMatches(rule: RuleConditions, user: RuleSubject): boolean {
  if (rule.connection !== null && rule.connection !== user.connection) return false;
  if (rule.emailDomain !== null && rule.emailDomain.toLowerCase() !== emailDomainOf(user.email)) return false;
  if (rule.requireVerifiedEmail && !user.emailVerified) return false;
  return true;
}

/**
 * The enabled rules the person matches, in rule order (position, then id), up to and including the first matching
 * rule with `stop`. Disabled rules neither match nor stop anything.
 */
export function matchRules<R extends MatchableRule>(rules: readonly R[], user: RuleSubject): R[] {
  const ordered = [...rules].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: R[] = [];
  for (const rule of ordered) {
    if (!rule.enabled || !ruleMatches(rule, user)) continue;
    out.push(rule);
    if (rule.stop) break;
  }
  return out;
}
