import { describe, expect, it } from 'vitest';
import { decide } from '@/lib/access/decide';
import { loadCatalog, loadUserFacts, prismaReader } from '@/lib/access/load';
import type { PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { MatrixFilters } from '@/lib/schemas/matrix';
import { addMember, createOrg, createUser, ensureBuiltInRoles, randomSuffix, seedOrgWithTiers } from '@/prisma/factories';
import { orgContext } from '@/tests/contexts';
import { setApplicationRoleMapping, setRoleApplications } from './catalog/role-grants';
import { createApplication } from './catalog/applications';
import { listOrgMatrix } from './matrix';
import { searchOrgsPage } from './org-search';
import { countOpenReach, listMyApplications, listWhoCanReach } from './reach';
import { reachCsvStream } from './reach-csv';

async function operator(): Promise<PlatformContext> {
  const user = await createUser(db, { platformRole: 'OPERATOR' });
  return {
    user: { id: user.id, sub: user.sub, email: user.email, name: user.name, platformRole: 'OPERATOR', blocked: false },
    requestId: `req-${randomSuffix()}`,
    actor: { platformRole: 'OPERATOR' },
  };
}

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('safe defaults', () => {
  it('a new application needs a mapped role: nobody reaches it until one is mapped', async () => {
    await ensureBuiltInRoles(db);
    const [ctx, { org, employee }] = await Promise.all([operator(), seedOrgWithTiers(db)]);
    const s = randomSuffix();
    const app = await createApplication(ctx, { name: `Fresh ${s}`, type: 'SPA', clientId: `fresh${s}`, accessPolicy: 'ANY_ROLE', description: '', url: null });
    // Straight into the table without a policy: the column default is the safe one too.
    const raw = await db.application.create({ data: { name: `Raw ${s}`, type: 'SPA', clientId: `raw${s}` } });
    expect(raw.accessPolicy).toBe('ANY_ROLE');
    const mine = await listMyApplications(await orgContext(org, employee));
    for (const id of [app.id, raw.id]) {
      expect(mine.find((a) => a.id === id)).toMatchObject({ allow: false, code: 'no_roles_mapped', wouldGrant: [] });
    }
    expect((await listWhoCanReach(ctx, app.id))!.items).toEqual([]);
  });

  it('a new default-role rule starts disabled in the database as well', async () => {
    const rule = await db.defaultRoleRule.create({ data: { name: `Raw rule ${randomSuffix()}`, position: 100_000 + Math.floor(Math.random() * 1e6) } });
    expect(rule.enabled).toBe(false);
    await db.defaultRoleRule.delete({ where: { id: rule.id } });
  });

  it('counts who an Open application would let in as decide does (members, not blocked, of orgs not suspended)', async () => {
    const ctx = await operator();
    const before = await countOpenReach(ctx);
    const [live, suspended] = await Promise.all([createOrg(db), createOrg(db, { suspended: true })]);
    const [a, b, blocked, onlySuspended] = await Promise.all([createUser(db), createUser(db), createUser(db), createUser(db)]);
    await db.user.update({ where: { id: blocked.id }, data: { blockedAt: new Date() } });
    await Promise.all([
      addMember(db, live.id, a.id, 'EMPLOYEE'),
      addMember(db, live.id, b.id, 'ADMIN'),
      addMember(db, suspended.id, b.id, 'EMPLOYEE'),
      addMember(db, live.id, blocked.id, 'EMPLOYEE'),
      addMember(db, suspended.id, onlySuspended.id, 'OWNER'),
    ]);
    const after = await countOpenReach(ctx);
    // Other tests add members in parallel, so compare at least what this test added and check each person with decide.
    expect(after.people - before.people).toBeGreaterThanOrEqual(2);
    const catalog = await loadCatalog(prismaReader(db));
    const open = { id: 'open', name: 'Open app', clientId: 'openapp00', type: 'SPA' as const, accessPolicy: 'OPEN' as const, roleIds: [] };
    const reaches = async (userId: string, blockedUser: boolean) => {
      const facts = await loadUserFacts(prismaReader(db), userId);
      return facts.memberships.some(
        (m) =>
          decide({
            subject: { kind: 'user', id: userId, blocked: blockedUser, membership: { orgId: m.orgId, tier: m.tier }, assignments: facts.assignments },
            org: { id: m.orgId, slug: m.slug, suspended: m.suspended },
            target: { kind: 'application', application: open },
            now: new Date(),
            catalog,
          }).allow,
      );
    };
    expect(await reaches(a.id, false)).toBe(true);
    expect(await reaches(b.id, false)).toBe(true);
    expect(await reaches(blocked.id, true)).toBe(false);
    expect(await reaches(onlySuspended.id, false)).toBe(false);
  });
});

describe('Your applications and Who can reach this', () => {
  it('agree with decide, name roles by name, and say which roles would grant access', async () => {
    await ensureBuiltInRoles(db);
    const ctx = await operator();
    const { org, owner, employee } = await seedOrgWithTiers(db);
    const s = randomSuffix();
    const role = await db.role.create({ data: { key: `reach-${s}`, name: `Reach desk ${s}` } });
    const app = await db.application.create({ data: { name: `Reach ${s}`, type: 'SPA', clientId: `reach${s}`, accessPolicy: 'ANY_ROLE', url: `https://reach-${s}.example.test/` } });
    // Mapped from the application's page, through the role editor's function.
    expect(await setApplicationRoleMapping(ctx, { applicationId: app.id, roleId: role.id, mapped: true })).toEqual({ changed: true });
    expect(await setApplicationRoleMapping(ctx, { applicationId: app.id, roleId: role.id, mapped: true })).toEqual({ changed: false });
    expect(await db.auditEvent.count({ where: { action: 'role.updated', targetId: role.id } })).toBe(1);
    await db.roleAssignment.create({ data: { roleId: role.id, userId: owner.id, orgId: org.id } });

    const ownerApps = await listMyApplications(await orgContext(org, owner));
    expect(ownerApps.find((a) => a.id === app.id)).toMatchObject({ allow: true, reason: `Allowed by the role ${role.name}.`, url: `https://reach-${s}.example.test/` });
    const employeeApps = await listMyApplications(await orgContext(org, employee));
    expect(employeeApps.find((a) => a.id === app.id)).toMatchObject({
      allow: false,
      reason: `Reach ${s} needs one of the roles ${role.name}.`,
      wouldGrant: [role.name],
    });
    // Reachable ones come first.
    const firstDenied = employeeApps.findIndex((a) => !a.allow);
    expect(employeeApps.slice(firstDenied).every((a) => !a.allow)).toBe(true);

    const reach = await listWhoCanReach(ctx, app.id, { orgSlug: org.slug });
    expect(reach!.items.map((r) => [r.email, r.tier, r.reason])).toEqual([[owner.email, 'OWNER', `Allowed by the role ${role.name}.`]]);

    // Unmapping from the application page takes it away again.
    await setApplicationRoleMapping(ctx, { applicationId: app.id, roleId: role.id, mapped: false });
    expect((await listWhoCanReach(ctx, app.id, { orgSlug: org.slug }))!.items).toEqual([]);
    // …and the role page's editor sees the same mapping (one function for both).
    await setRoleApplications(ctx, { roleId: role.id, applicationIds: [app.id] });
    expect((await listWhoCanReach(ctx, app.id, { orgSlug: org.slug }))!.items).toHaveLength(1);
  });

  it('pages per org with a keyset cursor (All mapped roles: decide drops who lacks one) and exports RFC 4180 CSV', async () => {
    await ensureBuiltInRoles(db);
    const ctx = await operator();
    const s = randomSuffix();
    const [orgA, orgB] = await Promise.all([createOrg(db, { slug: `a-reach-${s}` }), createOrg(db, { slug: `b-reach-${s}` })]);
    const [r1, r2] = await Promise.all([
      db.role.create({ data: { key: `r1-${s}`, name: `First ${s}` } }),
      db.role.create({ data: { key: `r2-${s}`, name: `Second ${s}` } }),
    ]);
    const app = await db.application.create({
      data: { name: `=Both ${s}`, type: 'SPA', clientId: `both${s}`, accessPolicy: 'ALL_ROLES', roles: { create: [{ roleId: r1.id }, { roleId: r2.id }] } },
    });
    const users = await Promise.all(Array.from({ length: 7 }, (_, i) => createUser(db, { email: `p${i}-${s}@example.test`, ...(i === 0 ? { name: '+Formula, "quoted"' } : {}) })));
    for (const [i, u] of users.entries()) {
      const org = i % 2 === 0 ? orgA : orgB;
      await addMember(db, org.id, u.id, 'EMPLOYEE');
      await db.roleAssignment.create({ data: { roleId: r1.id, userId: u.id, orgId: org.id } });
      // Every third person lacks the second role: SQL picks them as candidates, decide leaves them out.
      if (i % 3 !== 2) await db.roleAssignment.create({ data: { roleId: r2.id, userId: u.id, orgId: null } });
    }
    const expected = users.filter((_, i) => i % 3 !== 2);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await listWhoCanReach(ctx, app.id, { cursor, limit: 2 });
      const mine = page!.items.filter((r) => r.orgSlug.endsWith(s));
      seen.push(...mine.map((r) => r.email));
      cursor = page!.nextCursor ?? undefined;
      if (!cursor) break;
    }
    const orgOf = (email: string) => (users.findIndex((u) => u.email === email) % 2 === 0 ? orgA.slug : orgB.slug);
    expect(seen).toEqual(expected.map((u) => u.email).sort((x, y) => orgOf(x).localeCompare(orgOf(y)) || x.localeCompare(y)));

    const csv = await text(await reachCsvStream(ctx, { applicationId: app.id, orgSlug: orgA.slug }));
    // RFC 4180 §2: records end in CRLF; a field with a comma or quote is quoted and its quotes doubled. Cells that
    // start with = + - @ get a leading ' so a spreadsheet does not run them as formulas (OWASP CSV injection).
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('application,organization,org_slug,email,name,tier,reason');
    expect(lines[1]!.startsWith(`'=Both ${s},`)).toBe(true);
    expect(lines[1]).toContain(`"'+Formula, ""quoted"""`);
    // orgA holds persons 0, 2, 4 and 6; person 2 lacks the second role.
    expect(lines.filter((l) => l.length > 0)).toHaveLength(1 + 3);
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});

describe('matrix filters and org search', () => {
  it('filters by application and by allowed / denied, and names roles in reasons', async () => {
    await ensureBuiltInRoles(db);
    const { org, owner, admin, employee } = await seedOrgWithTiers(db);
    const s = randomSuffix();
    const role = await db.role.create({ data: { key: `mf-${s}`, name: `Matrix filter ${s}` } });
    const app = await db.application.create({ data: { name: `MF ${s}`, type: 'SPA', clientId: `mf${s}`, accessPolicy: 'ANY_ROLE', roles: { create: [{ roleId: role.id }] } } });
    await db.roleAssignment.create({ data: { roleId: role.id, userId: admin.id, orgId: org.id } });
    const ctx = await orgContext(org, owner);
    const f = (x: Partial<MatrixFilters>) => MatrixFilters.parse({ appId: app.id, ...x });
    const all = await listOrgMatrix(ctx, f({}));
    expect(all.columns.map((c) => c.id)).toEqual([app.id]);
    expect(all.rows).toHaveLength(3);
    const allowed = await listOrgMatrix(ctx, f({ outcome: 'allowed' }));
    expect(allowed.rows.map((r) => r.id)).toEqual([admin.id]);
    expect(allowed.rows[0]!.cells[0]).toMatchObject({ reason: `Allowed by the role ${role.name}.`, message: `Allowed by the role ${role.key}.` });
    expect(allowed.rows[0]!.cells[0]!.revocable[0]).toMatchObject({ roleKey: role.key, roleName: role.name });
    const denied = await listOrgMatrix(ctx, f({ outcome: 'denied' }));
    expect(denied.rows.map((r) => r.id).sort()).toEqual([owner.id, employee.id].sort());
    // Paging through a sparse filter one row at a time still finds exactly the matching rows.
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await listOrgMatrix(ctx, f({ outcome: 'denied', limit: 1, cursor }));
      ids.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(ids.sort()).toEqual([owner.id, employee.id].sort());
  });

  it('searches organizations by name or slug, keyset-paginated by slug', async () => {
    const ctx = await operator();
    const s = randomSuffix();
    const orgs = await Promise.all(Array.from({ length: 5 }, (_, i) => createOrg(db, { slug: `pick-${s}-${i}`, name: `Picker ${i}` })));
    await createOrg(db, { slug: `other-${s}`, name: `Zeta Findme ${s}` });
    const slugs: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 5; i++) {
      const page = await searchOrgsPage(ctx, { q: `pick-${s}`, cursor, limit: 2 });
      slugs.push(...page.items.map((o) => o.slug));
      cursor = page.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(slugs).toEqual(orgs.map((o) => o.slug));
    const byName = await searchOrgsPage(ctx, { q: `findme ${s}` });
    expect(byName.items.map((o) => o.slug)).toEqual([`other-${s}`]);
    // LIKE wildcards in the search are literal.
    expect((await searchOrgsPage(ctx, { q: `pick_${s}%` })).items).toEqual([]);
  });
});
