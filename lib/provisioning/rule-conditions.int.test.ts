import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchRules, ruleMatches, type RuleConditions } from '@/lib/access/rules';
import type { PlatformContext } from '@/lib/authz/types';
import { createRule, deleteRule } from '@/lib/data/rules';
import { db } from '@/lib/db';
import { CreateRuleInput } from '@/lib/schemas/rules';
import { createUser, randomSuffix } from '@/prisma/factories';
import { candidateRulesWhere, usersMatchingWhere } from './rule-conditions';
import { ruleEffectSelect } from './rule-effects';

/**
 * The default-role rules' conditions live twice: in memory (`ruleMatches` / `matchRules`, lib/access/rules.ts) and as
 * SQL (./rule-conditions.ts: the users a rule selects, for the dry run and the backfill; the rules that could match a
 * person, read at a first sign-in). On random users and rules, both must select the same:
 * - per rule, `usersMatchingWhere` finds exactly the users `ruleMatches` accepts;
 * - per user, `matchRules` over the rules `candidateRulesWhere` reads gives the same rules as over every rule.
 *
 * Each run uses names of its own: email domains that differ from a rule's by a sub-domain, a prefix or a suffix, and
 * connection names that differ by case or a character, so near misses are exercised. Rules are global: every rule
 * stored here has a connection or a domain of this run (so it never matches another test's user) and no effect, is
 * made and deleted through lib/data/rules.ts (which keeps positions dense for the other tests), and is gone at the end.
 */

const SEED = 20261201;

const userArb = fc.record({
  local: fc.constantFrom('ann', 'bob.b', 'c+tag', 'd_e'),
  domain: fc.nat(),
  connection: fc.option(fc.nat(), { nil: null }),
  emailVerified: fc.boolean(),
});
const conditionsArb = fc.record({
  connection: fc.option(fc.nat(), { nil: null }),
  emailDomain: fc.option(fc.nat(), { nil: null }),
  requireVerifiedEmail: fc.boolean(),
});
const worldArb = fc.record({
  users: fc.array(userArb, { minLength: 1, maxLength: 8 }),
  rules: fc.array(fc.record({ conditions: conditionsArb, enabled: fc.boolean(), stop: fc.boolean() }), { minLength: 1, maxLength: 5 }),
});
type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

let ctx: PlatformContext;
const madeRules = new Set<string>();

beforeAll(async () => {
  const operator = await createUser(db, { platformRole: 'OPERATOR' });
  ctx = {
    user: { id: operator.id, sub: operator.sub, email: operator.email, name: operator.name, platformRole: 'OPERATOR', blocked: false },
    requestId: `req-${randomSuffix()}`,
    actor: { platformRole: 'OPERATOR' },
  };
});

afterAll(async () => {
  for (const ruleId of madeRules) await deleteRule(ctx, { ruleId }).catch(() => {});
});

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

/** Names of one run: near misses of each other on purpose. */
function namesOf(s: string) {
  return {
    domains: [`corp-${s}.test`, `eu.corp-${s}.test`, `xcorp-${s}.test`, `corp-${s}.test.example`, `other-${s}.test`],
    connections: [`conn-${s}`, `Conn-${s}`, `conn-${s}-b`, `conn_${s}`],
  };
}

async function writeUsers(world: World, names: ReturnType<typeof namesOf>) {
  return Promise.all(
    world.users.map((u, i) =>
      createUser(db, {
        email: `${u.local}${i}@${pick(names.domains, u.domain)}`,
        connection: u.connection === null ? undefined : pick(names.connections, u.connection),
        emailVerified: u.emailVerified,
      }).then(async (row) => {
        // The factory gives every user a connection; a user without one (null) is a case the rules must handle too.
        if (u.connection === null) return db.user.update({ where: { id: row.id }, data: { connection: null } });
        return row;
      }),
    ),
  );
}

function conditionsOf(c: World['rules'][number]['conditions'], names: ReturnType<typeof namesOf>): RuleConditions {
  return {
    connection: c.connection === null ? null : pick(names.connections, c.connection),
    emailDomain: c.emailDomain === null ? null : pick(names.domains, c.emailDomain),
    requireVerifiedEmail: c.requireVerifiedEmail,
  };
}

const sorted = (ids: Iterable<string>) => [...ids].sort();

describe('rule conditions: in memory and in SQL', () => {
  it('select the same users, per rule (dry run, backfill)', async () => {
    let compared = 0;
    let matchedSome = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async (world) => {
        const names = namesOf(randomSuffix());
        const users = await writeUsers(world, names);
        const ids = users.map((u) => u.id);
        for (const rule of world.rules) {
          const conditions = conditionsOf(rule.conditions, names);
          const inSql = await db.user.findMany({ where: { AND: [usersMatchingWhere(conditions), { id: { in: ids } }] }, select: { id: true } });
          const inMemory = users.filter((u) => ruleMatches(conditions, { email: u.email, emailVerified: u.emailVerified, connection: u.connection }));
          expect(sorted(inSql.map((u) => u.id)), JSON.stringify({ conditions, users })).toEqual(sorted(inMemory.map((u) => u.id)));
          compared++;
          if (inMemory.length > 0) matchedSome++;
        }
      }),
      { numRuns: 40, seed: SEED },
    );
    // Not vacuous: many rules compared, and both outcomes seen.
    expect(compared).toBeGreaterThanOrEqual(40);
    expect(matchedSome).toBeGreaterThan(0);
    expect(matchedSome).toBeLessThan(compared);
  });

  it('give the same rules, per person (first sign-in: candidates read in SQL, then matchRules)', async () => {
    let withRules = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async (world) => {
        const names = namesOf(randomSuffix());
        const users = await writeUsers(world, names);
        const ruleIds: string[] = [];
        try {
          for (const [i, rule] of world.rules.entries()) {
            const conditions = conditionsOf(rule.conditions, names);
            // Stored rules must never match another test's users: give a rule without conditions this run's domain.
            if (conditions.connection === null && conditions.emailDomain === null) conditions.emailDomain = names.domains[0]!;
            const input = CreateRuleInput.parse({ name: `agreement ${i}`, ...conditions, enabled: rule.enabled, stop: rule.stop, orgId: null, tier: null, roles: [] });
            const created = await createRule(ctx, input);
            madeRules.add(created.id);
            ruleIds.push(created.id);
          }
          const all = await db.defaultRoleRule.findMany({ where: { id: { in: ruleIds } }, select: ruleEffectSelect });
          for (const u of users) {
            const person = { email: u.email, emailVerified: u.emailVerified, connection: u.connection };
            const candidates = await db.defaultRoleRule.findMany({
              where: { AND: [candidateRulesWhere(person), { id: { in: ruleIds } }] },
              orderBy: [{ position: 'asc' }, { id: 'asc' }],
              select: ruleEffectSelect,
            });
            const viaSql = matchRules(candidates, person).map((r) => r.id);
            const inMemory = matchRules(all, person).map((r) => r.id);
            expect(viaSql, JSON.stringify({ person, rules: all })).toEqual(inMemory);
            if (inMemory.length > 0) withRules++;
          }
        } finally {
          for (const ruleId of ruleIds) {
            await deleteRule(ctx, { ruleId });
            madeRules.delete(ruleId);
          }
        }
      }),
      { numRuns: 25, seed: SEED },
    );
    expect(withRules).toBeGreaterThan(0);
  });
});
