import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '@/lib/access/decide';
import type { AccessPolicy, AssignmentFact, CatalogApplication, CatalogRole, SubjectFacts, Target, Tier } from '@/lib/access/types';
import { db } from '@/lib/db';
import { randomSuffix } from '@/prisma/factories';
import type { DecisionServer } from './server';
import { call, startPropertyServer } from '@/tests/decision-api-fixtures';

/**
 * `/check` agrees with `decide` (lib/access) on random data. Each run writes a fresh world (orgs, some suspended;
 * users, some blocked; memberships; custom roles granting permissions of a fresh API; applications of every policy
 * mapped to custom and tier roles; M2M clients; assignments global or per org, some expired), lets the decision
 * server pick it up, and asks it random questions in one batch (and the first one alone). The expected answers
 * come from `decide` run on facts built here from the generated data, not read back from the database.
 *
 * Tier roles are shared with every other test; only permissions of this run's API are compared, so what other
 * tests link to them cannot matter.
 */

const TIERS: Tier[] = ['OWNER', 'ADMIN', 'EMPLOYEE'];
const PERMS = ['read:a', 'write:a', 'read:b'];

const expiry = fc.constantFrom<'none' | 'past' | 'future'>('none', 'none', 'past', 'future');
const assignment = fc.record({ role: fc.nat(), org: fc.option(fc.nat(), { nil: null }), expiry });

const worldArb = fc.record({
  orgs: fc.array(fc.record({ suspended: fc.constantFrom(false, false, true) }), { minLength: 1, maxLength: 3 }),
  roles: fc.array(fc.subarray(PERMS), { minLength: 1, maxLength: 4 }),
  apps: fc.array(
    fc.record({
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
  clients: fc.array(fc.array(assignment, { maxLength: 3 }), { maxLength: 2 }),
  questions: fc.array(
    fc.record({
      subject: fc.nat(),
      org: fc.oneof(fc.constant<'none'>('none'), fc.constant<'unknown'>('unknown'), fc.nat()),
      target: fc.oneof(fc.constant<'none'>('none'), fc.record({ app: fc.nat() }), fc.record({ perm: fc.constantFrom(...PERMS) })),
      audience: fc.boolean(),
    }),
    { minLength: 1, maxLength: 12 },
  ),
});
type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

let server: DecisionServer;
let key: string;
let tierRoles: CatalogRole[];

beforeAll(async () => {
  let roles;
  ({ server, key, tierRoles: roles } = await startPropertyServer(['check']));
  tierRoles = roles.map((r) => ({
    id: r.id,
    key: r.key,
    name: r.name,
    tier: r.tier,
    permissions: [],
    applicationIds: [],
  }));
});

afterAll(async () => {
  await server?.close();
});

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

/** Writes the world with fresh names; returns what `decide` needs, built from the generated data. */
async function write(world: World) {
  const s = randomSuffix();
  const now = Date.now();
  const audience = `https://prop-${s}.example.test`;
  const api = await db.api.create({ data: { identifier: audience, name: `Prop ${s}`, permissions: { create: PERMS.map((value) => ({ value })) } }, include: { permissions: true } });
  const permId = new Map(api.permissions.map((p) => [p.value, p.id]));

  const orgs = world.orgs.map((o, i) => ({ id: randomUUID(), slug: `p-${s}-${i}`, suspended: o.suspended }));
  await db.org.createMany({ data: orgs.map((o) => ({ id: o.id, slug: o.slug, name: o.slug, suspendedAt: o.suspended ? new Date() : null })) });

  const custom: CatalogRole[] = world.roles.map((perms, i) => ({
    id: randomUUID(),
    key: `p-${s}-r${i}`,
    name: `Prop role ${i}`,
    tier: null,
    permissions: perms.map((value) => ({ audience, value })),
    applicationIds: [],
  }));
  await db.role.createMany({ data: custom.map((r) => ({ id: r.id, key: r.key, name: r.name })) });
  await db.rolePermission.createMany({ data: custom.flatMap((r) => r.permissions.map((p) => ({ roleId: r.id, permissionId: permId.get(p.value)! }))) });
  const mappable = [...custom, ...tierRoles];

  const apps: CatalogApplication[] = world.apps.map((a, i) => ({
    id: randomUUID(),
    name: `Prop app ${s} ${i}`,
    clientId: `p-${s}-app${i}`,
    type: 'SPA',
    accessPolicy: a.policy,
    roleIds: [...new Set(a.roles.map((r) => pick(mappable, r).id))],
  }));
  await db.application.createMany({ data: apps.map((a) => ({ id: a.id, name: a.name, clientId: a.clientId, type: a.type, accessPolicy: a.accessPolicy })) });
  await db.roleApplication.createMany({ data: apps.flatMap((a) => a.roleIds.map((roleId) => ({ roleId, applicationId: a.id }))) });

  const toFacts = (list: World['clients'][number]): AssignmentFact[] => {
    const seen = new Map<string, AssignmentFact>();
    for (const a of list) {
      const roleId = pick(custom, a.role).id;
      const orgId = a.org === null ? null : pick(orgs, a.org).id;
      const expiresAt = a.expiry === 'none' ? null : new Date(now + (a.expiry === 'past' ? -86_400_000 : 86_400_000));
      seen.set(`${roleId}/${orgId}`, { id: randomUUID(), roleId, orgId, expiresAt });
    }
    return [...seen.values()];
  };

  const users = world.users.map((u, i) => ({
    id: randomUUID(),
    sub: `auth0|p-${s}-u${i}`,
    blocked: u.blocked,
    // An org role needs a membership there (role_assignments' composite foreign key): a user given a role in an org
    // they were not generated into joins it as an employee.
    memberships: [...new Map([
      ...u.assignments.flatMap((a) => (a.org === null ? [] : [[pick(orgs, a.org).id, 'EMPLOYEE' as const] as const])),
      ...u.memberships.map((m) => [pick(orgs, m.org).id, m.tier] as const),
    ]).entries()].map(([orgId, tier]) => ({ orgId, tier })),
    assignments: toFacts(u.assignments),
  }));
  await db.user.createMany({ data: users.map((u) => ({ id: u.id, sub: u.sub, email: `p-${s}-${u.id.slice(0, 8)}@example.test`, blockedAt: u.blocked ? new Date() : null })) });
  await db.membership.createMany({ data: users.flatMap((u) => u.memberships.map((m) => ({ userId: u.id, orgId: m.orgId, tier: m.tier }))) });

  const clients = world.clients.map((c, i) => ({ id: randomUUID(), clientId: `p-${s}-m2m${i}`, assignments: toFacts(c) }));
  await db.application.createMany({ data: clients.map((c) => ({ id: c.id, name: c.clientId, clientId: c.clientId, type: 'M2M' as const })) });

  await db.roleAssignment.createMany({
    data: [
      ...users.flatMap((u) => u.assignments.map((a) => ({ id: a.id, roleId: a.roleId, userId: u.id, orgId: a.orgId, expiresAt: a.expiresAt }))),
      ...clients.flatMap((c) => c.assignments.map((a) => ({ id: a.id, roleId: a.roleId, clientAppId: c.id, orgId: a.orgId, expiresAt: a.expiresAt }))),
    ],
  });
  return { s, audience, orgs, catalog: { roles: new Map(mappable.map((r) => [r.id, r])) }, apps, users, clients };
}

type Written = Awaited<ReturnType<typeof write>>;

/** The question as the API takes it, and the answer `decide` gives on the generated facts. */
function ask(w: Written, q: World['questions'][number]) {
  const subjects = [...w.users.map((u) => ({ kind: 'user' as const, u })), ...w.clients.map((c) => ({ kind: 'client' as const, c }))];
  const subject = pick(subjects, q.subject);
  const org = q.org === 'none' || q.org === 'unknown' ? null : pick(w.orgs, q.org);
  const body: Record<string, unknown> = {
    subject: subject.kind === 'user' ? { type: 'user', sub: subject.u.sub } : { type: 'client', clientId: subject.c.clientId },
  };
  if (q.org === 'unknown') body.organization = `p-${w.s}-nowhere`;
  else if (org) body.organization = org.slug;
  let target: Target = { kind: 'none' };
  if (q.target !== 'none' && 'app' in q.target) {
    const app = pick(w.apps, q.target.app);
    body.target = { type: 'application', clientId: app.clientId };
    target = { kind: 'application', application: app };
  } else if (q.target !== 'none') {
    body.target = { type: 'permission', audience: w.audience, permission: q.target.perm };
    target = { kind: 'permission', audience: w.audience, permission: q.target.perm };
  }
  if (q.audience) body.audience = w.audience;
  if (q.org === 'unknown') return { body, expected: { error: { code: 'NOT_FOUND' } } };

  const facts: SubjectFacts =
    subject.kind === 'user'
      ? {
          kind: 'user',
          id: subject.u.id,
          blocked: subject.u.blocked,
          membership: org ? (subject.u.memberships.find((m) => m.orgId === org.id) ?? null) : null,
          assignments: subject.u.assignments,
        }
      : { kind: 'client', id: subject.c.id, assignments: subject.c.assignments };
  const d = decide({ subject: facts, org, target, audience: q.audience ? w.audience : undefined, now: new Date(), catalog: w.catalog });
  return {
    body,
    expected: {
      allow: d.allow,
      reason: d.reason,
      roles: d.roles.map((r) => r.key),
      permissions: d.permissions.filter((p) => p.audience === w.audience),
    },
  };
}

/** What is compared: everything, with the permissions limited to this run's API. */
function comparable(answer: Record<string, unknown>, audience: string) {
  if ('error' in answer) return { error: { code: (answer.error as { code: string }).code } };
  return { ...answer, permissions: (answer.permissions as { audience: string }[]).filter((p) => p.audience === audience) };
}

describe('/check agrees with lib/access', () => {
  it('on random orgs, users, clients, roles, applications and assignments', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async (world) => {
        runs++;
        const w = await write(world);
        await server.snapshot.refresh();
        const questions = world.questions.map((q) => ask(w, q));
        const batch = await call(server, '/check/batch', { key, body: { items: questions.map((q) => q.body) } });
        expect(batch.status).toBe(200);
        const results = batch.body.results as Record<string, unknown>[];
        results.forEach((answer, i) => expect(comparable(answer, w.audience), JSON.stringify(questions[i]!.body)).toEqual(questions[i]!.expected));

        const one = await call(server, '/check', { key, body: questions[0]!.body });
        const expected = questions[0]!.expected;
        expect(one.status).toBe('error' in expected ? 404 : 200);
        expect(comparable(one.body, w.audience)).toEqual(expected);
      }),
      { numRuns: 100 },
    );
    expect(runs).toBeGreaterThanOrEqual(100);
  });
});
