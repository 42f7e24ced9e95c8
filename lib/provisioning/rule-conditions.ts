import { emailDomainOf, type RuleConditions, type RuleSubject } from '@/lib/access/rules';
import type { Prisma } from '@/lib/generated/prisma/client.ts';

/**
 * Default-role rule conditions as SQL (Prisma `where`s), both ways round. Which rules a person matches is decided by
 * the pure `ruleMatches` / `matchRules` (lib/access/rules.ts); these select the same people and rules in the database,
 * and an agreement test holds them to it (rule-conditions.int.test.ts).
 */

/** The users a rule's conditions select: connection =, email ILIKE '%@domain', email_verified (dry run, backfill). */
export function usersMatchingWhere(c: RuleConditions): Prisma.UserWhereInput {
  return {
    ...(c.connection !== null ? { connection: c.connection } : {}),
    ...(c.emailDomain !== null ? { email: { endsWith: `@${c.emailDomain}`, mode: 'insensitive' } } : {}),
    ...(c.requireVerifiedEmail ? { emailVerified: true } : {}),
  };
}

/**
 * The enabled rules that could match this person (first sign-in): only these are read, and `matchRules` then decides
 * (and applies order and stop). Rule domains are stored lower case (lib/schemas/rules.ts).
 */
export function candidateRulesWhere(user: RuleSubject): Prisma.DefaultRoleRuleWhereInput {
  const domain = emailDomainOf(user.email);
  return {
    enabled: true,
    AND: [
      { OR: [{ connection: null }, ...(user.connection !== null ? [{ connection: user.connection }] : [])] },
      { OR: [{ emailDomain: null }, ...(domain !== null ? [{ emailDomain: domain }] : [])] },
      user.emailVerified ? {} : { requireVerifiedEmail: false },
    ],
  };
}
