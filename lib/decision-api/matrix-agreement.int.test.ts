import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessPolicy, Tier } from '@/lib/access/types';
import type { PlatformContext } from '@/lib/authz/types';
import { listOrgMatrix, listPlatformMatrix, type MatrixPage } from '@/lib/data/matrix';
import { db } from '@/lib/db';
import { MatrixFilters } from '@/lib/schemas/matrix';
import { createUser, randomSuffix } from '@/prisma/factories';
import { orgContext } from '@/tests/contexts';
import type { DecisionServer } from './server';
import { call, startPropertyServer } from '@/tests/decision-api-fixtures';

/**
 * The console's access matrix (lib/data/matrix.ts, facts read through Prisma a page at a time) and the decision API
 * (facts kept in the in-memory snapshot) must give the same answer and reason for the same data. Each run writes a
 * random world (orgs, some suspended; users, some blocked, with memberships; custom roles granting permissions of a
 * fresh API; applications of every type and policy, mapped to custom and tier roles; M2M clients; assignments global
 * or per org, some expired), then compares every cell of this run's rows and columns:
 * - users × applications, in the platform matrix without an org and with each org, and in each active org's own
 *   matrix, against `POST /check` (subject, organization, application);
 * - M2M clients × this run's API, in the platform's clients tab without an org and with each org, against
 *   `POST /decisions/client-credentials` (the matrix's API columns are that question).
 */

const SEED = 20261201;
const TIERS: Tier[] = ['OWNER', 'ADMIN', 'EMPLOYEE'];
const PERMS = ['read:a', 'write:a', 'read:b'];

const expiry = fc.constantFrom<'none' | 'past' | 'future'>('none', 'none', 'past', 'future');
const assignment = fc.record({ role: fc.nat(), org: fc.option(fc.nat(), { nil: null }), expiry });

const worldArb = fc.record({
  orgs: fc.array(fc.record({ suspended: fc.constantFrom(false, false, true) }), { minLength: 1, maxLength: 3 }),
  roles: fc.array(fc.subarray(PERMS), { minLength: 1, maxLength: 4 }),
  apps: fc.array(
    fc.record({
      type: fc.constantFrom<'SPA' | 'REGULAR_WEB' | 'NATIVE'>('SPA', 'REGULAR_WEB', 'NATIVE'),
      policy: fc.constantFrom<AccessPolicy>('OPEN', 'ANY_ROLE', 'ALL_ROLES'),
      // Indexes into [custom roles..., tier roles...].
      roles: fc.uniqueArray(fc.nat(), { maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  users: fc.array(
    fc.record({
      blocked: fc.constantFrom(false, false, false, true),
      memberships: fc.array(fc.record({ org: fc.nat(), tier: fc.constantFrom(...TIERS) }), { maxLength: 3 }),
      assignments: fc.array(assignment, { maxLength: 4 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  clients: fc.array(fc.array(assignment, { maxLength: 3 }), { minLength: 1, maxLength: 2 }),
});
type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

let server: DecisionServer;
let key: string;
let tierRoleIds: string[];
let platform: PlatformContext;

beforeAll(async () => {
  let roles;
  ({ server, key, tierRoles: roles } = await startPropertyServer(['check', 'decisions:client_credentials']));
  tierRoleIds = roles.map((r) => r.id);
  const staff = await createUser(db, { platformRole: 'STAFF' });
  platform = {
    user: { id: staff.id, sub: staff.sub, email: staff.email, name: staff.name, platformRole: 'STAFF', blocked: false },
    requestId: `req-${randomSuffix()}`,
    actor: { platformRole: 'STAFF' },
  };
});

afterAll(async () => {
  await server?.close();
});

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

/** Writes the world with names of this run (`m-<suffix>-…`, which the matrix's text filter finds). */
async function write(world: World) {
  const s = randomSuffix();
  const now = Date.now();
  const audience = `https://agree-${s}.example.test`;
  const api = await db.api.create({ data: { identifier: audience, name: `Agree ${s}`, permissions: { create: PERMS.map((value) => ({ value })) } }, include: { permissions: true } });
  const permId = new Map(api.permissions.map((p) => [p.value, p.id]));

  const orgs = world.orgs.map((o, i) => ({ id: randomUUID(), slug: `m-${s}-${i}`, suspended: o.suspended }));
  await db.org.createMany({ data: orgs.map((o) => ({ id: o.id, slug: o.slug, name: o.slug, suspendedAt: o.suspended ? new Date() : null })) });

  const custom = world.roles.map((perms, i) => ({ id: randomUUID(), key: `m-${s}-r${i}`, perms }));
  await db.role.createMany({ data: custom.map((r, n) => ({ id: r.id, key: r.key, name: `Agree role ${s} ${n}` })) });
  await db.rolePermission.createMany({ data: custom.flatMap((r) => r.perms.map((p) => ({ roleId: r.id, permissionId: permId.get(p)! }))) });
  const mappable = [...custom.map((r) => r.id), ...tierRoleIds];

  const apps = world.apps.map((a, n) => ({ id: randomUUID(), clientId: `m-${s}-app${n}`, ...a, roleIds: [...new Set(a.roles.map((r) => pick(mappable, r)))] }));
  await db.application.createMany({ data: apps.map((a, n) => ({ id: a.id, name: `Agree app ${s} ${n}`, clientId: a.clientId, type: a.type, accessPolicy: a.policy })) });
  await db.roleApplication.createMany({ data: apps.flatMap((a) => a.roleIds.map((roleId) => ({ roleId, applicationId: a.id }))) });

  const assignmentsOf = (list: World['clients'][number]) => {
    const seen = new Map<string, { roleId: string; orgId: string | null; expiresAt: Date | null }>();
    for (const a of list) {
      const roleId = pick(custom, a.role).id;
      const orgId = a.org === null ? null : pick(orgs, a.org).id;
      seen.set(`${roleId}/${orgId}`, { roleId, orgId, expiresAt: a.expiry === 'none' ? null : new Date(now + (a.expiry === 'past' ? -86_400_000 : 86_400_000)) });
    }
    return [...seen.values()];
  };
  const users = world.users.map((u, n) => ({
    id: randomUUID(),
    sub: `auth0|m-${s}-u${n}`,
    email: `m-${s}-u${n}@example.test`,
    blocked: u.blocked,
    // An org role needs a membership there (role_assignments' composite foreign key): a user given a role in an org
    // they were not generated into joins it as an employee.
    memberships: [...new Map([
      ...u.assignments.flatMap((a) => (a.org === null ? [] : [[pick(orgs, a.org).id, 'EMPLOYEE' as const] as const])),
      ...u.memberships.map((m) => [pick(orgs, m.org).id, m.tier] as const),
    ]).entries()].map(([orgId, tier]) => ({ orgId, tier })),
    assignments: assignmentsOf(u.assignments),
  }));
  await db.user.createMany({ data: users.map((u) => ({ id: u.id, sub: u.sub, email: u.email, name: u.email, blockedAt: u.blocked ? new Date() : null })) });
  await db.membership.createMany({ data: users.flatMap((u) => u.memberships.map((m) => ({ userId: u.id, orgId: m.orgId, tier: m.tier }))) });

  const clients = world.clients.map((c, n) => ({ id: randomUUID(), clientId: `m-${s}-m2m${n}`, assignments: assignmentsOf(c) }));
  await db.application.createMany({ data: clients.map((c) => ({ id: c.id, name: c.clientId, clientId: c.clientId, type: 'M2M' as const })) });
  await db.roleAssignment.createMany({
    data: [
      ...users.flatMap((u) => u.assignments.map((a) => ({ ...a, userId: u.id }))),
      ...clients.flatMap((c) => c.assignments.map((a) => ({ ...a, clientAppId: c.id }))),
    ],
  });
  return { s, audience, orgs, apps, users, clients };
}

type Written = Awaited<ReturnType<typeof write>>;

interface Cell {
  /** What the cell is about, for the failure message. */
  where: string;
  matrix: { allow: boolean; code: string; message: string };
  request: { path: string; body: Record<string, unknown> };
}

/** This run's cells of a matrix page, each with the decision API request that asks the same question. */
function cellsOf(page: MatrixPage, w: Written, org: { slug: string } | null, subjects: 'users' | 'clients', where: string): Cell[] {
  const out: Cell[] = [];
  for (const row of page.rows) {
    page.columns.forEach((column, c) => {
      const cell = row.cells[c]!;
      const matrix = { allow: cell.allow, code: cell.code, message: cell.message };
      const organization = org ? { organization: org.slug } : {};
      if (subjects === 'users') {
        const app = w.apps.find((a) => a.id === column.id);
        if (!app) return; // another test's application
        const user = w.users.find((u) => u.id === row.id)!;
        const body = { subject: { type: 'user', sub: user.sub }, target: { type: 'application', clientId: app.clientId }, ...organization };
        out.push({ where: `${where}: ${user.sub} × ${app.clientId}`, matrix, request: { path: '/check', body } });
      } else {
        if (column.id !== w.audience) return; // another test's API
        const client = w.clients.find((x) => x.id === row.id)!;
        const body = { clientId: client.clientId, audience: w.audience, ...organization };
        out.push({ where: `${where}: ${client.clientId} → ${w.audience}`, matrix, request: { path: '/decisions/client-credentials', body } });
      }
    });
  }
  return out;
}

const filters = (f: Partial<MatrixFilters>) => MatrixFilters.parse({ limit: 200, ...f });
const sorted = (ids: Iterable<string>) => [...ids].sort();

describe('the access matrix agrees with the decision API', () => {
  it('on random orgs, users, clients, roles, applications and assignments', async () => {
    const seen = { cells: 0, allowed: 0, codes: new Set<string>() };
    await fc.assert(
      fc.asyncProperty(worldArb, async (world) => {
        const w = await write(world);
        await server.snapshot.refresh();
        const q = `m-${w.s}-`;
        const cells: Cell[] = [];
        const userIds = w.users.map((u) => u.id);
        const membersOf = (orgId: string) => w.users.filter((u) => u.memberships.some((m) => m.orgId === orgId)).map((u) => u.id);

        const everyone = await listPlatformMatrix(platform, filters({ q }));
        expect(sorted(everyone.rows.map((r) => r.id))).toEqual(sorted(userIds));
        cells.push(...cellsOf(everyone, w, null, 'users', 'platform'));
        const clients = await listPlatformMatrix(platform, filters({ subjects: 'clients', q }));
        expect(sorted(clients.rows.map((r) => r.id))).toEqual(sorted(w.clients.map((c) => c.id)));
        cells.push(...cellsOf(clients, w, null, 'clients', 'platform clients'));

        for (const org of w.orgs) {
          const inOrg = await listPlatformMatrix(platform, { ...filters({ q }), orgSlug: org.slug });
          expect(sorted(inOrg.rows.map((r) => r.id))).toEqual(sorted(membersOf(org.id)));
          cells.push(...cellsOf(inOrg, w, org, 'users', `platform in ${org.slug}`));
          const clientsInOrg = await listPlatformMatrix(platform, { ...filters({ subjects: 'clients', q }), orgSlug: org.slug });
          cells.push(...cellsOf(clientsInOrg, w, org, 'clients', `platform clients in ${org.slug}`));

          // An org's own matrix exists for its members while it is active (a suspended org's pages are closed).
          const member = w.users.find((u) => u.memberships.some((m) => m.orgId === org.id));
          if (org.suspended || !member) continue;
          const ctx = await orgContext({ id: org.id, slug: org.slug, name: org.slug }, { id: member.id, sub: member.sub, email: member.email, name: member.email });
          const own = await listOrgMatrix(ctx, filters({ q }));
          expect(sorted(own.rows.map((r) => r.id))).toEqual(sorted(membersOf(org.id)));
          cells.push(...cellsOf(own, w, org, 'users', `org matrix of ${org.slug}`));
        }

        const checks = cells.filter((c) => c.request.path === '/check');
        const batch = await call(server, '/check/batch', { key, body: { items: checks.map((c) => c.request.body) } });
        expect(batch.status).toBe(200);
        const answers = new Map(checks.map((c, n) => [c, (batch.body.results as Record<string, unknown>[])[n]!]));
        for (const c of cells.filter((x) => x.request.path !== '/check')) {
          const res = await call(server, c.request.path, { key, body: c.request.body });
          expect(res.status, c.where).toBe(200);
          answers.set(c, res.body);
        }
        for (const c of cells) {
          const answer = answers.get(c) as { allow: boolean; reason: { code: string; message: string } };
          expect({ allow: answer.allow, code: answer.reason?.code, message: answer.reason?.message }, c.where).toEqual(c.matrix);
          seen.cells++;
          if (c.matrix.allow) seen.allowed++;
          seen.codes.add(c.matrix.code);
        }
      }),
      { numRuns: 25, seed: SEED },
    );
    // Not vacuous: many cells, both answers, and the reasons a matrix can show were compared (its rows are members
    // in an org, so `not_a_member` cannot appear in a cell).
    expect(seen.cells).toBeGreaterThan(200);
    expect(seen.allowed).toBeGreaterThan(0);
    expect(seen.allowed).toBeLessThan(seen.cells);
    expect([...seen.codes].sort()).toEqual(
      expect.arrayContaining([
        'granted_by_role',
        'missing_permission',
        'missing_role',
        'missing_roles',
        'no_roles_mapped',
        'open_application',
        'org_suspended',
        'user_blocked',
      ]),
    );
  });
});
