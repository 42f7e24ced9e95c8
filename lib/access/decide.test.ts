import { describe, expect, it } from 'vitest';
import { decide } from './decide';
import type {
  AccessPolicy,
  AssignmentFact,
  CatalogApplication,
  CatalogRole,
  DecideInput,
  Decision,
  OrgFact,
  PermissionRef,
  SubjectFacts,
  Target,
  Tier,
} from './types';

/*
 * One or more examples for every rule in decide.ts's doc comment and PRODUCT.md ("The decision"). The expected
 * answers are written out by hand from the documentation, never derived from decide itself.
 */

const NOW = new Date('2030-06-01T12:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);

const BILLING_API = 'https://billing.example.test';
const CONFIG_API = 'https://config.example.test';
const perm = (audience: string, value: string): PermissionRef => ({ audience, value });

function role(id: string, key: string, permissions: PermissionRef[] = [], tier: Tier | null = null): CatalogRole {
  return { id, key, name: `Role ${key}`, tier, permissions, applicationIds: [] };
}

// The catalog used throughout. Ids and keys sort differently on purpose, so sorting by key is visible.
const OWNER_ROLE = role('r-owner', 'org:owner', [perm(CONFIG_API, 'write:config'), perm(CONFIG_API, 'read:config')], 'OWNER');
const ADMIN_ROLE = role('r-admin', 'org:admin', [perm(CONFIG_API, 'read:config')], 'ADMIN');
const EMPLOYEE_ROLE = role('r-employee', 'org:employee', [], 'EMPLOYEE');
const BILLING = role('r-1', 'billing', [perm(BILLING_API, 'read:invoices'), perm(BILLING_API, 'pay:invoices')]);
const SUPPORT = role('r-2', 'support', [perm(BILLING_API, 'read:invoices'), perm(CONFIG_API, 'read:config')]);
const AUDITOR = role('r-3', 'auditor', [perm(BILLING_API, 'read:invoices')]);
const ZETA = role('r-0', 'zeta', []);
const GHOST_ROLE_ID = 'r-deleted'; // referred to by assignments, absent from the catalog

const CATALOG: DecideInput['catalog'] = {
  roles: new Map([OWNER_ROLE, ADMIN_ROLE, EMPLOYEE_ROLE, BILLING, SUPPORT, AUDITOR, ZETA].map((r) => [r.id, r])),
};
const TIER_ROLE: Record<Tier, CatalogRole> = { OWNER: OWNER_ROLE, ADMIN: ADMIN_ROLE, EMPLOYEE: EMPLOYEE_ROLE };

const ORG: OrgFact = { id: 'org-a', slug: 'acme', suspended: false };
const SUSPENDED_ORG: OrgFact = { ...ORG, suspended: true };
const OTHER_ORG_ID = 'org-b';

let nextAssignment = 0;
function assignment(roleId: string, orgId: string | null, expiresAt: Date | null = null): AssignmentFact {
  nextAssignment += 1;
  return { id: `as-${nextAssignment}`, roleId, orgId, expiresAt };
}
const globally = (roleId: string, expiresAt: Date | null = null) => assignment(roleId, null, expiresAt);
const inOrg = (roleId: string, expiresAt: Date | null = null) => assignment(roleId, ORG.id, expiresAt);
const inOtherOrg = (roleId: string) => assignment(roleId, OTHER_ORG_ID);

function user(opts: { tier?: Tier | null; memberOf?: string; blocked?: boolean; assignments?: AssignmentFact[] } = {}): SubjectFacts {
  const tier = opts.tier ?? null;
  return {
    kind: 'user',
    id: 'user-1',
    blocked: opts.blocked ?? false,
    membership: tier ? { orgId: opts.memberOf ?? ORG.id, tier } : null,
    assignments: opts.assignments ?? [],
  };
}

function client(assignments: AssignmentFact[] = []): SubjectFacts {
  return { kind: 'client', id: 'client-1', assignments };
}

function app(accessPolicy: AccessPolicy, roleIds: string[] = []): CatalogApplication {
  return { id: 'app-1', name: 'Dashboard', clientId: 'auth0-client-1', type: 'SPA', accessPolicy, roleIds };
}

const NONE: Target = { kind: 'none' };
const openApp: Target = { kind: 'application', application: app('OPEN') };
const anyRole = (...roleIds: string[]): Target => ({ kind: 'application', application: app('ANY_ROLE', roleIds) });
const allRoles = (...roleIds: string[]): Target => ({ kind: 'application', application: app('ALL_ROLES', roleIds) });
const permissionTarget = (audience: string, permission: string): Target => ({ kind: 'permission', audience, permission });
const audienceTarget = (audience: string): Target => ({ kind: 'audience', audience });

function run(subject: SubjectFacts, org: OrgFact | null, target: Target, audience?: string): Decision {
  return decide({ subject, org, target, now: NOW, catalog: CATALOG, ...(audience !== undefined ? { audience } : {}) });
}

const keys = (d: Decision) => d.roles.map((r) => r.key);
const perms = (d: Decision) => d.permissions.map((p) => `${p.audience} ${p.value}`);

/** allow, reason code, via and missing exactly as documented (absent means absent). */
function expectOutcome(d: Decision, allow: boolean, code: string, extra: { via?: string[]; missing?: string[] } = {}) {
  expect({ allow: d.allow, code: d.reason.code, via: d.reason.via, missing: d.reason.missing }).toEqual({
    allow,
    code,
    via: extra.via,
    missing: extra.missing,
  });
  expect(d.reason.message.length).toBeGreaterThan(0);
}

const EVERY_TARGET: [string, Target][] = [
  ['none', NONE],
  ['OPEN application', openApp],
  ['ANY_ROLE application', anyRole(BILLING.id)],
  ['ALL_ROLES application', allRoles(BILLING.id)],
  ['ANY_ROLE application with no roles mapped', anyRole()],
  ['permission', permissionTarget(BILLING_API, 'read:invoices')],
  ['audience', audienceTarget(BILLING_API)],
];

describe('decide — rule 1: a blocked user', () => {
  const blocked = user({ blocked: true, tier: 'OWNER', assignments: [globally(BILLING.id), inOrg(SUPPORT.id)] });

  for (const [label, target] of EVERY_TARGET) {
    it(`is denied (${label}) and holds no roles or permissions, in an org and without one`, () => {
      for (const org of [ORG, null]) {
        const d = run(blocked, org, target);
        expectOutcome(d, false, 'user_blocked');
        expect(d.roles).toEqual([]);
        expect(d.permissions).toEqual([]);
      }
    });
  }

  it('is blocked before the org is found suspended', () => {
    expectOutcome(run(blocked, SUSPENDED_ORG, NONE), false, 'user_blocked');
  });

  it('is blocked even when the application is OPEN and no org is given', () => {
    expectOutcome(run(user({ blocked: true }), null, openApp), false, 'user_blocked');
  });
});

describe('decide — rule 2: effective roles', () => {
  describe('global assignments', () => {
    it('count with no org given', () => {
      const a = globally(BILLING.id);
      const d = run(user({ assignments: [a] }), null, NONE);
      expectOutcome(d, true, 'no_org');
      expect(d.roles).toEqual([
        { id: BILLING.id, key: 'billing', name: 'Role billing', sources: [{ kind: 'assignment', assignmentId: a.id, scope: 'global', expiresAt: null }] },
      ]);
      expect(perms(d)).toEqual([`${BILLING_API} pay:invoices`, `${BILLING_API} read:invoices`]);
    });

    it('count in an org the user belongs to, next to the tier role', () => {
      const d = run(user({ tier: 'EMPLOYEE', assignments: [globally(BILLING.id)] }), ORG, NONE);
      expectOutcome(d, true, 'member');
      expect(keys(d)).toEqual(['billing', 'org:employee']);
    });

    it('count in an org the user does not belong to (listed, though the answer is not_a_member)', () => {
      const d = run(user({ assignments: [globally(BILLING.id)] }), ORG, NONE);
      expectOutcome(d, false, 'not_a_member');
      expect(keys(d)).toEqual(['billing']);
    });

    it('count for a user who is a member of another org only', () => {
      const d = run(user({ tier: 'OWNER', memberOf: OTHER_ORG_ID, assignments: [globally(BILLING.id)] }), ORG, anyRole(BILLING.id));
      expectOutcome(d, true, 'granted_by_role', { via: ['billing'] });
      expect(keys(d)).toEqual(['billing']);
    });

    it('count for a client, in every org and with no org', () => {
      for (const org of [ORG, { ...ORG, id: OTHER_ORG_ID, slug: 'other' }, null]) {
        const d = run(client([globally(SUPPORT.id)]), org, permissionTarget(CONFIG_API, 'read:config'));
        expectOutcome(d, true, 'granted_by_role', { via: ['support'] });
        expect(keys(d)).toEqual(['support']);
      }
    });
  });

  describe('the tier role', () => {
    for (const tier of ['OWNER', 'ADMIN', 'EMPLOYEE'] as const) {
      it(`is given to a ${tier.toLowerCase()} of the org given, with a tier source`, () => {
        const d = run(user({ tier }), ORG, NONE);
        expectOutcome(d, true, 'member');
        const r = TIER_ROLE[tier];
        expect(d.roles).toEqual([{ id: r.id, key: r.key, name: r.name, sources: [{ kind: 'tier', tier }] }]);
      });
    }

    it('is not given for a membership in another org', () => {
      const d = run(user({ tier: 'OWNER', memberOf: OTHER_ORG_ID }), ORG, NONE);
      expectOutcome(d, false, 'not_a_member');
      expect(d.roles).toEqual([]);
      expect(d.permissions).toEqual([]);
    });

    it('is not given when no org is asked about', () => {
      const d = run(user({ tier: 'OWNER' }), null, NONE);
      expectOutcome(d, true, 'no_org');
      expect(d.roles).toEqual([]);
    });
  });

  describe('org-scoped assignments', () => {
    it('count for a member of that org, with an org source', () => {
      const a = inOrg(SUPPORT.id);
      const d = run(user({ tier: 'EMPLOYEE', assignments: [a] }), ORG, NONE);
      expectOutcome(d, true, 'member');
      expect(keys(d)).toEqual(['org:employee', 'support']);
      expect(d.roles.find((r) => r.key === 'support')!.sources).toEqual([
        { kind: 'assignment', assignmentId: a.id, scope: 'org', expiresAt: null },
      ]);
    });

    it('do not count for a user who is not a member of that org (users belong by membership only)', () => {
      const d = run(user({ assignments: [inOrg(SUPPORT.id)] }), ORG, anyRole(SUPPORT.id));
      expectOutcome(d, false, 'missing_role', { missing: ['support'] });
      expect(d.roles).toEqual([]);
      expectOutcome(run(user({ assignments: [inOrg(SUPPORT.id)] }), ORG, NONE), false, 'not_a_member');
    });

    it('of another org do not count', () => {
      const d = run(user({ tier: 'EMPLOYEE', assignments: [inOtherOrg(SUPPORT.id)] }), ORG, permissionTarget(CONFIG_API, 'read:config'));
      expectOutcome(d, false, 'missing_permission');
      expect(keys(d)).toEqual(['org:employee']);
    });

    it('do not count when no org is asked about', () => {
      const d = run(user({ tier: 'ADMIN', assignments: [inOrg(SUPPORT.id)] }), null, NONE);
      expectOutcome(d, true, 'no_org');
      expect(d.roles).toEqual([]);
    });
  });

  describe('clients', () => {
    it('belong to an org by an unexpired assignment scoped to it', () => {
      const a = inOrg(BILLING.id, at(60_000));
      const d = run(client([a]), ORG, NONE);
      expectOutcome(d, true, 'member');
      expect(d.roles).toEqual([
        { id: BILLING.id, key: 'billing', name: 'Role billing', sources: [{ kind: 'assignment', assignmentId: a.id, scope: 'org', expiresAt: at(60_000) }] },
      ]);
    });

    it('with no assignment at all are not members', () => {
      const d = run(client(), ORG, NONE);
      expectOutcome(d, false, 'not_a_member');
      expect(d.roles).toEqual([]);
    });

    it('with an assignment scoped to another org do not belong and do not hold it here', () => {
      const d = run(client([inOtherOrg(BILLING.id)]), ORG, NONE);
      expectOutcome(d, false, 'not_a_member');
      expect(d.roles).toEqual([]);
    });

    it('with only an expired assignment scoped to the org do not belong', () => {
      const d = run(client([inOrg(BILLING.id, NOW)]), ORG, NONE);
      expectOutcome(d, false, 'not_a_member');
      expect(d.roles).toEqual([]);
    });

    it('with only global assignments do not belong to the org (only an org-scoped assignment makes it belong)', () => {
      const d = run(client([globally(BILLING.id)]), ORG, NONE);
      expectOutcome(d, false, 'not_a_member');
      expect(keys(d)).toEqual(['billing']);
    });

    it('do not belong by an assignment to a role missing from the catalog', () => {
      const d = run(client([inOrg(GHOST_ROLE_ID)]), ORG, NONE);
      expectOutcome(d, false, 'not_a_member');
      expect(d.roles).toEqual([]);
    });

    it('that belong hold every unexpired assignment of that org, and none of other orgs', () => {
      const d = run(client([inOrg(BILLING.id), inOrg(SUPPORT.id, NOW), inOrg(AUDITOR.id, at(1)), inOtherOrg(ZETA.id)]), ORG, NONE);
      expectOutcome(d, true, 'member');
      expect(keys(d)).toEqual(['auditor', 'billing']);
    });

    it('never get a tier role', () => {
      const d = run(client([inOrg(ZETA.id)]), ORG, NONE);
      expect(keys(d)).toEqual(['zeta']);
    });
  });

  describe('expiry', () => {
    it('an assignment expiring exactly now is expired (global)', () => {
      const d = run(user({ assignments: [globally(BILLING.id, new Date(NOW.getTime()))] }), null, NONE);
      expect(d.roles).toEqual([]);
      expect(d.permissions).toEqual([]);
    });

    it('an assignment expiring exactly now is expired (org-scoped)', () => {
      const d = run(user({ tier: 'EMPLOYEE', assignments: [inOrg(BILLING.id, new Date(NOW.getTime()))] }), ORG, anyRole(BILLING.id));
      expectOutcome(d, false, 'missing_role', { missing: ['billing'] });
      expect(keys(d)).toEqual(['org:employee']);
    });

    it('an assignment in the past is expired', () => {
      const d = run(user({ assignments: [globally(BILLING.id, at(-1))] }), null, permissionTarget(BILLING_API, 'read:invoices'));
      expectOutcome(d, false, 'missing_permission');
    });

    it('an assignment expiring one millisecond after now is live, and its source carries the expiry', () => {
      const a = globally(BILLING.id, at(1));
      const d = run(user({ assignments: [a] }), null, permissionTarget(BILLING_API, 'read:invoices'));
      expectOutcome(d, true, 'granted_by_role', { via: ['billing'] });
      expect(d.roles[0]!.sources).toEqual([{ kind: 'assignment', assignmentId: a.id, scope: 'global', expiresAt: at(1) }]);
    });

    it('an expired assignment leaves the live ones of the same role alone', () => {
      const live = inOrg(BILLING.id);
      const d = run(user({ tier: 'EMPLOYEE', assignments: [globally(BILLING.id, at(-5)), live] }), ORG, NONE);
      expect(d.roles.find((r) => r.key === 'billing')!.sources).toEqual([
        { kind: 'assignment', assignmentId: live.id, scope: 'org', expiresAt: null },
      ]);
    });
  });

  describe('roles missing from the catalog', () => {
    it('are ignored, global or org-scoped', () => {
      const d = run(user({ tier: 'EMPLOYEE', assignments: [globally(GHOST_ROLE_ID), inOrg(GHOST_ROLE_ID), globally(ZETA.id)] }), ORG, NONE);
      expectOutcome(d, true, 'member');
      expect(keys(d)).toEqual(['org:employee', 'zeta']);
    });

    it('never satisfy an application mapped to them', () => {
      const d = run(user({ assignments: [globally(GHOST_ROLE_ID)] }), null, anyRole(GHOST_ROLE_ID, BILLING.id));
      expect(d.allow).toBe(false);
      expect(d.reason.code).toBe('missing_role');
      expect(d.roles).toEqual([]);
    });
  });
});

describe('decide — rule 3: a suspended org', () => {
  const member = user({ tier: 'OWNER', assignments: [globally(BILLING.id), inOrg(SUPPORT.id)] });

  for (const [label, target] of EVERY_TARGET) {
    it(`answers org_suspended (${label}), listing only the global roles`, () => {
      const d = run(member, SUSPENDED_ORG, target);
      expectOutcome(d, false, 'org_suspended');
      expect(keys(d)).toEqual(['billing']);
      expect(perms(d)).toEqual([`${BILLING_API} pay:invoices`, `${BILLING_API} read:invoices`]);
    });
  }

  it('answers org_suspended to a client that belongs there, listing only its global roles', () => {
    const d = run(client([inOrg(SUPPORT.id), globally(AUDITOR.id)]), SUSPENDED_ORG, openApp);
    expectOutcome(d, false, 'org_suspended');
    expect(keys(d)).toEqual(['auditor']);
  });

  it('answers org_suspended to a non-member too', () => {
    const d = run(user(), SUSPENDED_ORG, NONE);
    expectOutcome(d, false, 'org_suspended');
    expect(d.roles).toEqual([]);
  });

  it('honours the audience filter on the global permissions it lists', () => {
    const d = run(user({ assignments: [globally(SUPPORT.id)] }), SUSPENDED_ORG, NONE, CONFIG_API);
    expect(perms(d)).toEqual([`${CONFIG_API} read:config`]);
  });
});

describe('decide — rule 4: target none', () => {
  it('with an org: a member is allowed (member)', () => {
    expectOutcome(run(user({ tier: 'EMPLOYEE' }), ORG, NONE), true, 'member');
  });

  it('with an org: a non-member is denied (not_a_member), user or client', () => {
    expectOutcome(run(user(), ORG, NONE), false, 'not_a_member');
    expectOutcome(run(client(), ORG, NONE), false, 'not_a_member');
  });

  it('without an org: anyone unblocked is allowed (no_org), even with no roles', () => {
    const d = run(user(), null, NONE);
    expectOutcome(d, true, 'no_org');
    expect(d.roles).toEqual([]);
    expect(d.permissions).toEqual([]);
    expectOutcome(run(client(), null, NONE), true, 'no_org');
  });
});

describe('decide — rule 5: applications', () => {
  describe('OPEN', () => {
    it('lets in a member of the org given', () => {
      expectOutcome(run(user({ tier: 'EMPLOYEE' }), ORG, openApp), true, 'open_application');
    });

    it('keeps out a user who is not a member of the org given, whatever global roles they hold', () => {
      const d = run(user({ tier: 'OWNER', memberOf: OTHER_ORG_ID, assignments: [globally(BILLING.id)] }), ORG, openApp);
      expectOutcome(d, false, 'not_a_member');
      expect(keys(d)).toEqual(['billing']);
    });

    it('lets in any user when no org is given, even with no roles', () => {
      expectOutcome(run(user(), null, openApp), true, 'open_application');
    });

    it('always lets in an M2M client, in an org where it has no role and with no org', () => {
      expectOutcome(run(client(), ORG, openApp), true, 'open_application');
      expectOutcome(run(client(), null, openApp), true, 'open_application');
    });

    it('ignores the roles mapped to it', () => {
      const target: Target = { kind: 'application', application: app('OPEN', [BILLING.id]) };
      expectOutcome(run(user({ tier: 'EMPLOYEE' }), ORG, target), true, 'open_application');
    });
  });

  describe('ANY_ROLE', () => {
    it('lets in a holder of one of its roles; via lists the held mapped roles only', () => {
      const d = run(user({ tier: 'EMPLOYEE', assignments: [inOrg(SUPPORT.id)] }), ORG, anyRole(BILLING.id, SUPPORT.id, ZETA.id));
      expectOutcome(d, true, 'granted_by_role', { via: ['support'] });
    });

    it('lists every held mapped role in via, sorted by key', () => {
      const d = run(user({ tier: 'OWNER', assignments: [globally(ZETA.id), inOrg(BILLING.id)] }), ORG, anyRole(ZETA.id, AUDITOR.id, OWNER_ROLE.id, BILLING.id));
      expectOutcome(d, true, 'granted_by_role', { via: ['billing', 'org:owner', 'zeta'] });
    });

    it('counts the tier role like any role', () => {
      const d = run(user({ tier: 'ADMIN' }), ORG, anyRole(ADMIN_ROLE.id, OWNER_ROLE.id));
      expectOutcome(d, true, 'granted_by_role', { via: ['org:admin'] });
    });

    it('denies a subject holding none of them, listing all its roles, sorted, once each', () => {
      const d = run(user({ tier: 'EMPLOYEE' }), ORG, anyRole(ZETA.id, BILLING.id, ZETA.id, AUDITOR.id));
      expectOutcome(d, false, 'missing_role', { missing: ['auditor', 'billing', 'zeta'] });
    });

    it('lets in through a global role in an org the user does not belong to', () => {
      const d = run(user({ assignments: [globally(BILLING.id)] }), ORG, anyRole(BILLING.id));
      expectOutcome(d, true, 'granted_by_role', { via: ['billing'] });
    });

    it('with no role mapped lets nobody in, however many roles they hold', () => {
      const d = run(user({ tier: 'OWNER', assignments: [globally(BILLING.id)] }), ORG, anyRole());
      expectOutcome(d, false, 'no_roles_mapped');
      expectOutcome(run(client([globally(BILLING.id)]), null, anyRole()), false, 'no_roles_mapped');
    });
  });

  describe('ALL_ROLES', () => {
    it('lets in a holder of all its roles; via lists all of them, sorted', () => {
      const d = run(
        user({ tier: 'ADMIN', assignments: [globally(ZETA.id), inOrg(BILLING.id)] }),
        ORG,
        allRoles(ZETA.id, ADMIN_ROLE.id, BILLING.id),
      );
      expectOutcome(d, true, 'granted_by_role', { via: ['billing', 'org:admin', 'zeta'] });
    });

    it('denies a holder of some, listing only the missing ones, sorted', () => {
      const d = run(user({ tier: 'ADMIN', assignments: [globally(BILLING.id)] }), ORG, allRoles(ZETA.id, BILLING.id, AUDITOR.id, ADMIN_ROLE.id));
      expectOutcome(d, false, 'missing_roles', { missing: ['auditor', 'zeta'] });
    });

    it('denies a holder of none, listing all of them once each', () => {
      const d = run(user({ tier: 'EMPLOYEE' }), ORG, allRoles(BILLING.id, AUDITOR.id, BILLING.id));
      expectOutcome(d, false, 'missing_roles', { missing: ['auditor', 'billing'] });
    });

    it('with one role mapped behaves like requiring that role', () => {
      expectOutcome(run(client([inOrg(BILLING.id)]), ORG, allRoles(BILLING.id)), true, 'granted_by_role', { via: ['billing'] });
      expectOutcome(run(client([inOtherOrg(BILLING.id)]), ORG, allRoles(BILLING.id)), false, 'missing_roles', { missing: ['billing'] });
    });

    it('with no role mapped lets nobody in', () => {
      expectOutcome(run(user({ tier: 'OWNER', assignments: [globally(BILLING.id)] }), ORG, allRoles()), false, 'no_roles_mapped');
      expectOutcome(run(user(), null, allRoles()), false, 'no_roles_mapped');
    });
  });
});

describe('decide — rule 6: permissions and audiences', () => {
  it('allows a permission granted by an effective role; via names it', () => {
    const d = run(user({ tier: 'EMPLOYEE', assignments: [inOrg(BILLING.id)] }), ORG, permissionTarget(BILLING_API, 'pay:invoices'));
    expectOutcome(d, true, 'granted_by_role', { via: ['billing'] });
  });

  it('lists every effective role granting it in via, sorted by key', () => {
    const d = run(
      user({ tier: 'EMPLOYEE', assignments: [globally(SUPPORT.id), inOrg(BILLING.id), inOrg(AUDITOR.id), globally(ZETA.id)] }),
      ORG,
      permissionTarget(BILLING_API, 'read:invoices'),
    );
    expectOutcome(d, true, 'granted_by_role', { via: ['auditor', 'billing', 'support'] });
  });

  it('counts the tier role’s permissions', () => {
    const d = run(user({ tier: 'OWNER' }), ORG, permissionTarget(CONFIG_API, 'write:config'));
    expectOutcome(d, true, 'granted_by_role', { via: ['org:owner'] });
  });

  it('denies a permission no effective role grants', () => {
    expectOutcome(run(user({ tier: 'ADMIN' }), ORG, permissionTarget(CONFIG_API, 'write:config')), false, 'missing_permission');
  });

  it('matches the audience and the value together', () => {
    // SUPPORT grants read:config on CONFIG_API and read:invoices on BILLING_API, never read:config on BILLING_API.
    const holder = user({ assignments: [globally(SUPPORT.id)] });
    expectOutcome(run(holder, null, permissionTarget(BILLING_API, 'read:config')), false, 'missing_permission');
    expectOutcome(run(holder, null, permissionTarget(CONFIG_API, 'read:invoices')), false, 'missing_permission');
  });

  it('does not count permissions of roles that are not effective', () => {
    const d = run(user({ assignments: [inOrg(BILLING.id), globally(BILLING.id, NOW)] }), ORG, permissionTarget(BILLING_API, 'read:invoices'));
    expectOutcome(d, false, 'missing_permission');
  });

  it('allows an audience when an effective role grants any permission of that API; via lists those roles', () => {
    const d = run(user({ tier: 'ADMIN', assignments: [globally(BILLING.id), globally(SUPPORT.id)] }), ORG, audienceTarget(CONFIG_API));
    expectOutcome(d, true, 'granted_by_role', { via: ['org:admin', 'support'] });
  });

  it('denies an audience none of the effective roles has a permission of', () => {
    expectOutcome(run(client([globally(ZETA.id), globally(BILLING.id)]), null, audienceTarget(CONFIG_API)), false, 'missing_permission');
    expectOutcome(run(client(), null, audienceTarget('https://unknown.example.test')), false, 'missing_permission');
  });
});

describe('decide — listed permissions', () => {
  const holder = user({ tier: 'OWNER', assignments: [globally(SUPPORT.id), inOrg(AUDITOR.id), globally(BILLING.id)] });

  it('are the union of the effective roles’ permissions, deduplicated and sorted by audience then value', () => {
    const d = run(holder, ORG, NONE);
    expect(d.permissions).toEqual([
      perm(BILLING_API, 'pay:invoices'),
      perm(BILLING_API, 'read:invoices'),
      perm(CONFIG_API, 'read:config'),
      perm(CONFIG_API, 'write:config'),
    ]);
  });

  it('are only the audience’s when an audience filter is given', () => {
    expect(run(holder, ORG, NONE, CONFIG_API).permissions).toEqual([perm(CONFIG_API, 'read:config'), perm(CONFIG_API, 'write:config')]);
    expect(run(holder, ORG, NONE, 'https://unknown.example.test').permissions).toEqual([]);
  });

  it('the audience filter changes neither allow nor the roles', () => {
    const unfiltered = run(holder, ORG, permissionTarget(CONFIG_API, 'write:config'));
    const filtered = run(holder, ORG, permissionTarget(CONFIG_API, 'write:config'), BILLING_API);
    expectOutcome(filtered, true, 'granted_by_role', { via: ['org:owner'] });
    expect(filtered.roles).toEqual(unfiltered.roles);
    expect(perms(filtered)).toEqual([`${BILLING_API} pay:invoices`, `${BILLING_API} read:invoices`]);
    // A denial stays a denial too.
    const denied = run(user(), ORG, NONE, CONFIG_API);
    expectOutcome(denied, false, 'not_a_member');
  });

  it('a role listing the same permission twice lists it once', () => {
    const doubled = role('r-doubled', 'doubled', [perm(BILLING_API, 'read:invoices'), perm(BILLING_API, 'read:invoices')]);
    const d = decide({
      subject: user({ assignments: [globally(doubled.id)] }),
      org: null,
      target: NONE,
      now: NOW,
      catalog: { roles: new Map([[doubled.id, doubled]]) },
    });
    expect(d.permissions).toEqual([perm(BILLING_API, 'read:invoices')]);
  });
});

describe('decide — roles listed', () => {
  it('are sorted by key, whatever the order of the assignments', () => {
    const d = run(user({ tier: 'EMPLOYEE', assignments: [globally(ZETA.id), inOrg(SUPPORT.id), globally(AUDITOR.id), inOrg(BILLING.id)] }), ORG, NONE);
    expect(keys(d)).toEqual(['auditor', 'billing', 'org:employee', 'support', 'zeta']);
  });

  it('appear once when held twice, with one source per assignment', () => {
    const g = globally(BILLING.id);
    const o = inOrg(BILLING.id, at(1000));
    const d = run(user({ tier: 'EMPLOYEE', assignments: [g, o] }), ORG, NONE);
    expect(keys(d)).toEqual(['billing', 'org:employee']);
    expect(d.roles[0]!.sources).toEqual([
      { kind: 'assignment', assignmentId: g.id, scope: 'global', expiresAt: null },
      { kind: 'assignment', assignmentId: o.id, scope: 'org', expiresAt: at(1000) },
    ]);
  });

  it('a role held both by the tier and by an assignment has both sources', () => {
    const a = inOrg(ADMIN_ROLE.id);
    const d = run(user({ tier: 'ADMIN', assignments: [a] }), ORG, NONE);
    expect(d.roles).toHaveLength(1);
    expect(d.roles[0]!.key).toBe('org:admin');
    expect(d.roles[0]!.sources).toHaveLength(2);
    expect(d.roles[0]!.sources).toEqual(
      expect.arrayContaining([
        { kind: 'tier', tier: 'ADMIN' },
        { kind: 'assignment', assignmentId: a.id, scope: 'org', expiresAt: null },
      ]),
    );
  });

  it('a tier role also assigned globally has both sources', () => {
    const a = globally(OWNER_ROLE.id);
    const d = run(user({ tier: 'OWNER', assignments: [a] }), ORG, NONE);
    expect(d.roles.map((r) => r.sources.map((s) => s.kind))).toEqual([expect.arrayContaining(['tier', 'assignment'])]);
  });
});

describe('decide — purity', () => {
  it('gives the same answer twice and does not modify its input', () => {
    const assignments = [globally(ZETA.id), inOrg(BILLING.id), globally(BILLING.id)];
    const subject = user({ tier: 'OWNER', assignments });
    const snapshot = structuredClone(assignments);
    const first = run(subject, ORG, allRoles(BILLING.id, ZETA.id));
    const second = run(subject, ORG, allRoles(BILLING.id, ZETA.id));
    expect(second).toEqual(first);
    expect(assignments).toEqual(snapshot);
    expect(CATALOG.roles.get(BILLING.id)).toEqual(role('r-1', 'billing', [perm(BILLING_API, 'read:invoices'), perm(BILLING_API, 'pay:invoices')]));
  });
});
