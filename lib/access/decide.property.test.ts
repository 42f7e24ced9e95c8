import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, indexRolesByTier } from './decide';
import type {
  AccessPolicy,
  AssignmentFact,
  CatalogApplication,
  CatalogRole,
  DecideInput,
  Decision,
  OrgFact,
  PermissionRef,
  RoleSource,
  SubjectFacts,
  Target,
  Tier,
} from './types';

/*
 * decide compared with a naive reference written from the rules in its doc comment and PRODUCT.md, on random
 * catalogs, subjects, assignments, orgs and targets. The id pools are tiny on purpose, so assignments, mappings,
 * memberships and targets keep landing on the same roles, orgs and audiences.
 */

const RUNS = 3_000;
const NOW = new Date('2030-06-01T12:00:00.000Z');
const ROLE_IDS = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'] as const; // the catalog holds a random subset
const ORG_IDS = ['o1', 'o2'] as const;
const AUDIENCES = ['https://a.test', 'https://b.test', 'https://c.test'] as const;
const VALUES = ['read', 'write', 'admin'] as const;
const TIERS = ['OWNER', 'ADMIN', 'EMPLOYEE'] as const satisfies readonly Tier[];
const POLICIES = ['OPEN', 'ANY_ROLE', 'ALL_ROLES'] as const satisfies readonly AccessPolicy[];

// ---------------------------------------------------------------------------------------------------------------
// Generators

const permissionArb: fc.Arbitrary<PermissionRef> = fc.record({ audience: fc.constantFrom(...AUDIENCES), value: fc.constantFrom(...VALUES) });

const roleArb = (id: string): fc.Arbitrary<CatalogRole> =>
  fc.record({
    id: fc.constant(id),
    // Unique thanks to the id, and sorting differently from the ids.
    key: fc.constantFrom('a', 'm', 'z', 'org:').map((prefix) => `${prefix}${id}`),
    name: fc.constant(`Role ${id}`),
    tier: fc.constantFrom<Tier | null>(null, null, 'OWNER', 'ADMIN', 'EMPLOYEE'),
    // Duplicates allowed: the same permission listed twice must still be listed once.
    permissions: fc.array(permissionArb, { maxLength: 4 }),
    applicationIds: fc.array(fc.constantFrom('app1', 'app2'), { maxLength: 2 }),
  });

// Each role of the pool is in the catalog two times out of three. Half the catalogs carry the tier index the
// decision API's snapshot builds (indexRolesByTier); decide must answer the same with and without it.
const catalogArb: fc.Arbitrary<DecideInput['catalog']> = fc
  .tuple(fc.tuple(...ROLE_IDS.map((id) => fc.option(roleArb(id), { freq: 3 }))), fc.boolean())
  .map(([maybe, indexed]) => {
    const roles = maybe.filter((r): r is CatalogRole => r !== null);
    const byId = new Map(roles.map((r) => [r.id, r]));
    return indexed ? { roles: byId, rolesByTier: indexRolesByTier(roles) } : { roles: byId };
  });

const expiryArb: fc.Arbitrary<Date | null> = fc.oneof(
  fc.constant(null),
  fc.constant('past' as const),
  fc.constant('now' as const),
  fc.constant('future' as const),
  fc.integer({ min: -3, max: 3 }),
).map((e) => {
  if (e === null) return null;
  // A fresh Date every time, so nothing can pass by comparing Date objects by identity.
  if (e === 'past') return new Date(NOW.getTime() - 86_400_000);
  if (e === 'now') return new Date(NOW.getTime());
  if (e === 'future') return new Date(NOW.getTime() + 86_400_000);
  return new Date(NOW.getTime() + e);
});

const assignmentsArb: fc.Arbitrary<AssignmentFact[]> = fc
  .array(
    fc.record({
      roleId: fc.constantFrom<string>(...ROLE_IDS, 'ghost'), // 'ghost' is never in the catalog
      orgId: fc.constantFrom<string | null>(null, ...ORG_IDS),
      expiresAt: expiryArb,
    }),
    { maxLength: 5 },
  )
  .map((list) => list.map((a, i) => ({ id: `as${i}`, ...a })));

const userArb: fc.Arbitrary<SubjectFacts> = fc.record({
  kind: fc.constant('user' as const),
  id: fc.constant('u1'),
  blocked: fc.constantFrom(false, false, false, false, false, false, false, true),
  // Mostly a member of o1, the org most often asked about.
  membership: fc.option<{ orgId: string; tier: Tier }>(fc.record({ orgId: fc.constantFrom<string>('o1', 'o1', 'o2'), tier: fc.constantFrom(...TIERS) }), { freq: 4 }),
  assignments: assignmentsArb,
});

const clientArb: fc.Arbitrary<SubjectFacts> = fc.record({ kind: fc.constant('client' as const), id: fc.constant('c1'), assignments: assignmentsArb });

const subjectArb = fc.oneof({ arbitrary: userArb, weight: 3 }, { arbitrary: clientArb, weight: 2 });

const orgArb: fc.Arbitrary<OrgFact | null> = fc.option(
  fc.record({ id: fc.constantFrom<string>('o1', 'o1', 'o2'), slug: fc.constant('acme'), suspended: fc.constantFrom(false, false, false, true) }),
  { freq: 4 },
);

const applicationArb: fc.Arbitrary<CatalogApplication> = fc.record({
  id: fc.constant('app1'),
  name: fc.constant('App'),
  clientId: fc.constant('client-app1'),
  type: fc.constantFrom('SPA' as const, 'REGULAR_WEB' as const, 'NATIVE' as const, 'M2M' as const),
  accessPolicy: fc.constantFrom(...POLICIES),
  // Sometimes none, sometimes the same role twice, sometimes a role the catalog does not hold.
  roleIds: fc.array(fc.constantFrom<string>(...ROLE_IDS, 'ghost'), { maxLength: 4 }),
});

const targetArb: fc.Arbitrary<Target> = fc.oneof(
  fc.constant<Target>({ kind: 'none' }),
  applicationArb.map<Target>((application) => ({ kind: 'application', application })),
  applicationArb.map<Target>((application) => ({ kind: 'application', application })),
  fc.record({ audience: fc.constantFrom(...AUDIENCES), permission: fc.constantFrom(...VALUES) }).map<Target>((t) => ({ kind: 'permission', ...t })),
  fc.constantFrom(...AUDIENCES).map<Target>((audience) => ({ kind: 'audience', audience })),
);

const inputArb: fc.Arbitrary<DecideInput> = fc
  .record({
    subject: subjectArb,
    org: orgArb,
    target: targetArb,
    audience: fc.option(fc.constantFrom(...AUDIENCES), { freq: 2 }),
    catalog: catalogArb,
  })
  .map(({ audience, ...rest }) => ({ ...rest, now: new Date(NOW.getTime()), ...(audience === null ? {} : { audience }) }));

// ---------------------------------------------------------------------------------------------------------------
// The reference: the rules, in order, as plainly as possible

interface Summary {
  allow: boolean;
  code: string;
  roleKeys: string[];
  /** Per role key, its sources as sorted JSON strings. */
  sources: Record<string, string[]>;
  permissions: string[];
  via: string[] | undefined;
  missing: string[] | undefined;
}

function sourceJson(s: RoleSource): string {
  if (s.kind === 'tier') return JSON.stringify({ kind: 'tier', tier: s.tier });
  return JSON.stringify({ kind: 'assignment', assignmentId: s.assignmentId, scope: s.scope, expiresAt: s.expiresAt?.getTime() ?? null });
}

function unique(list: string[]): string[] {
  const out: string[] = [];
  for (const x of list) if (!out.includes(x)) out.push(x);
  return out;
}

function sorted(list: string[]): string[] {
  return [...list].sort();
}

function reference(input: DecideInput): Summary {
  const { subject, org, target, now, catalog, audience } = input;

  // Rule 1.
  if (subject.kind === 'user' && subject.blocked) {
    return { allow: false, code: 'user_blocked', roleKeys: [], sources: {}, permissions: [], via: undefined, missing: undefined };
  }

  // Rule 2.
  const isLive = (a: AssignmentFact) => a.expiresAt === null || a.expiresAt.getTime() > now.getTime();
  const inCatalog = (roleId: string) => catalog.roles.has(roleId);

  let belongs = false;
  if (org !== null) {
    if (subject.kind === 'user') {
      if (subject.membership !== null && subject.membership.orgId === org.id) belongs = true;
    } else {
      for (const a of subject.assignments) {
        if (a.orgId === org.id && isLive(a) && inCatalog(a.roleId)) belongs = true;
      }
    }
  }

  // Rule 3: a suspended org contributes nothing.
  const suspended = org !== null && org.suspended;
  const orgCounts = org !== null && !suspended && belongs;

  const held: { roleId: string; source: RoleSource }[] = [];
  for (const a of subject.assignments) {
    if (a.orgId === null && isLive(a) && inCatalog(a.roleId)) {
      held.push({ roleId: a.roleId, source: { kind: 'assignment', assignmentId: a.id, scope: 'global', expiresAt: a.expiresAt } });
    }
  }
  if (orgCounts) {
    if (subject.kind === 'user' && subject.membership !== null) {
      for (const r of catalog.roles.values()) {
        if (r.tier === subject.membership.tier) held.push({ roleId: r.id, source: { kind: 'tier', tier: subject.membership.tier } });
      }
    }
    for (const a of subject.assignments) {
      if (a.orgId === org.id && isLive(a) && inCatalog(a.roleId)) {
        held.push({ roleId: a.roleId, source: { kind: 'assignment', assignmentId: a.id, scope: 'org', expiresAt: a.expiresAt } });
      }
    }
  }

  const heldIds = unique(held.map((h) => h.roleId));
  const keyOf = (roleId: string) => catalog.roles.get(roleId)?.key ?? roleId;
  const roleKeys = sorted(heldIds.map(keyOf));
  const sources: Record<string, string[]> = {};
  for (const h of held) (sources[keyOf(h.roleId)] ??= []).push(sourceJson(h.source));
  for (const k of Object.keys(sources)) sources[k] = sorted(sources[k]!);

  const permissionSet: string[] = [];
  for (const id of heldIds) {
    for (const p of catalog.roles.get(id)!.permissions) {
      if (audience !== undefined && p.audience !== audience) continue;
      const s = `${p.audience} ${p.value}`;
      if (!permissionSet.includes(s)) permissionSet.push(s);
    }
  }
  const permissions = sorted(permissionSet);

  const answer = (allow: boolean, code: string, extra: { via?: string[]; missing?: string[] } = {}): Summary => ({
    allow,
    code,
    roleKeys,
    sources,
    permissions,
    via: extra.via,
    missing: extra.missing,
  });

  if (suspended) return answer(false, 'org_suspended');

  // Rule 4.
  if (target.kind === 'none') {
    if (org === null) return answer(true, 'no_org');
    return belongs ? answer(true, 'member') : answer(false, 'not_a_member');
  }

  // Rule 5.
  if (target.kind === 'application') {
    const application = target.application;
    if (application.accessPolicy === 'OPEN') {
      if (subject.kind === 'client' || org === null || belongs) return answer(true, 'open_application');
      return answer(false, 'not_a_member');
    }
    const mapped = unique(application.roleIds);
    if (mapped.length === 0) return answer(false, 'no_roles_mapped');
    const have = mapped.filter((id) => heldIds.includes(id));
    const lacking = mapped.filter((id) => !heldIds.includes(id));
    if (application.accessPolicy === 'ANY_ROLE') {
      if (have.length > 0) return answer(true, 'granted_by_role', { via: sorted(have.map(keyOf)) });
      return answer(false, 'missing_role', { missing: sorted(mapped.map(keyOf)) });
    }
    if (lacking.length === 0) return answer(true, 'granted_by_role', { via: sorted(mapped.map(keyOf)) });
    return answer(false, 'missing_roles', { missing: sorted(lacking.map(keyOf)) });
  }

  // Rule 6.
  const granting: string[] = [];
  for (const id of heldIds) {
    let grants = false;
    for (const p of catalog.roles.get(id)!.permissions) {
      if (p.audience !== target.audience) continue;
      if (target.kind === 'audience' || p.value === target.permission) grants = true;
    }
    if (grants) granting.push(keyOf(id));
  }
  if (granting.length > 0) return answer(true, 'granted_by_role', { via: sorted(granting) });
  return answer(false, 'missing_permission');
}

function summarize(d: Decision): Summary {
  const sources: Record<string, string[]> = {};
  for (const r of d.roles) sources[r.key] = sorted(r.sources.map(sourceJson));
  return {
    allow: d.allow,
    code: d.reason.code,
    roleKeys: sorted(d.roles.map((r) => r.key)),
    sources,
    permissions: sorted(unique(d.permissions.map((p) => `${p.audience} ${p.value}`))),
    via: d.reason.via,
    missing: d.reason.missing,
  };
}

/** What decide promises about the shape of every answer, beyond the reference's content. */
function checkShape(d: Decision): void {
  const keys = d.roles.map((r) => r.key);
  expect(keys, 'roles are sorted by key').toEqual(sorted(keys));
  expect(new Set(keys).size, 'roles are listed once').toBe(keys.length);
  const perms = d.permissions.map((p) => `${p.audience}\u0000${p.value}`);
  expect(perms, 'permissions are sorted').toEqual(sorted(perms));
  expect(new Set(perms).size, 'permissions are listed once').toBe(perms.length);
  expect(d.reason.message.length).toBeGreaterThan(0);
}

type DecideFn = (input: DecideInput) => Decision;

function agreesWithReference(fn: DecideFn) {
  return fc.property(inputArb, (input) => {
    const actual = fn(input);
    checkShape(actual);
    expect(summarize(actual)).toEqual(reference(input));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Mutants: decide with one rule broken by editing its input. The property must catch every one of them.

const withAssignments = (input: DecideInput, edit: (a: AssignmentFact) => AssignmentFact): DecideInput => ({
  ...input,
  subject: { ...input.subject, assignments: input.subject.assignments.map(edit) },
});

const MUTANTS: Record<string, DecideFn> = {
  'ignores expiry': (input) => decide(withAssignments(input, (a) => ({ ...a, expiresAt: null }))),
  'treats an assignment expiring exactly now as live': (input) =>
    decide(withAssignments(input, (a) => (a.expiresAt?.getTime() === input.now.getTime() ? { ...a, expiresAt: new Date(a.expiresAt.getTime() + 1) } : a))),
  'ignores suspension': (input) => decide({ ...input, org: input.org && { ...input.org, suspended: false } }),
  'ignores blocking': (input) => decide({ ...input, subject: input.subject.kind === 'user' ? { ...input.subject, blocked: false } : input.subject }),
  'treats org-scoped assignments as global': (input) => decide(withAssignments(input, (a) => ({ ...a, orgId: null }))),
  'ignores the audience filter': (input) => decide({ ...input, audience: undefined }),
  'lets ALL_ROLES behave like ANY_ROLE': (input) =>
    decide(
      input.target.kind === 'application' && input.target.application.accessPolicy === 'ALL_ROLES'
        ? { ...input, target: { kind: 'application', application: { ...input.target.application, accessPolicy: 'ANY_ROLE' } } }
        : input,
    ),
};

// ---------------------------------------------------------------------------------------------------------------

describe('decide agrees with a naive reference implementation of its rules', () => {
  it(`on ${RUNS} random inputs`, () => {
    fc.assert(agreesWithReference(decide), { numRuns: RUNS });
  });

  it('reaches every reason code on the generated inputs (so the comparison covers every rule)', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(inputArb, (input) => {
        const code = decide(input).reason.code;
        seen.set(code, (seen.get(code) ?? 0) + 1);
      }),
      { numRuns: RUNS },
    );
    const codes = [
      'user_blocked',
      'org_suspended',
      'not_a_member',
      'no_roles_mapped',
      'missing_role',
      'missing_roles',
      'missing_permission',
      'member',
      'no_org',
      'open_application',
      'granted_by_role',
    ];
    for (const code of codes) expect(seen.get(code) ?? 0, `${code} in ${RUNS} runs`).toBeGreaterThanOrEqual(20);
  });

  for (const [name, mutant] of Object.entries(MUTANTS)) {
    it(`finds a counterexample for a decide that ${name}`, () => {
      const result = fc.check(agreesWithReference(mutant), { numRuns: RUNS });
      expect(result.failed, `no counterexample found for the mutant that ${name}`).toBe(true);
    });
  }
});
