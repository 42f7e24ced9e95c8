import { describe, expect, it } from 'vitest';
import type { PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { CreateAssignmentInput } from '@/lib/schemas/assignments';
import { createOrg, createUser, ensureBuiltInRoles, randomSuffix, seedOrgWithTiers } from '@/prisma/factories';
import { orgContext } from '@/tests/contexts';
import { createAssignment, deleteAssignment, listSubjectAssignments } from './assignments';
import { getClient, listClients, listOrgClients } from './clients';
import { searchOrgs } from './orgs';

const codeOf = (e: unknown) => (e instanceof AppError ? e.code : `not an AppError: ${String(e)}`);

async function operatorContext(): Promise<PlatformContext> {
  const user = await createUser(db, { platformRole: 'OPERATOR' });
  return {
    user: { id: user.id, sub: user.sub, email: user.email, name: user.name, platformRole: 'OPERATOR', blocked: false },
    requestId: `req-${randomSuffix()}`,
    actor: { platformRole: 'OPERATOR' },
  };
}

async function customRole(name?: string) {
  const s = randomSuffix();
  return db.role.create({ data: { key: `role-${s}`, name: name ?? `Role ${s}` } });
}

async function m2mClient(name?: string) {
  const s = randomSuffix();
  return db.application.create({ data: { name: name ?? `Client ${s}`, type: 'M2M', clientId: `client-${s}`, accessPolicy: 'ANY_ROLE' } });
}

const future = () => new Date(Date.now() + 7 * 24 * 60 * 60 * 1000);

describe('role assignments to M2M clients', () => {
  it('gives a client a role in org A only: A sees it, B does not, and it is audited in A', async () => {
    const [ctx, a, b, role, client] = await Promise.all([operatorContext(), seedOrgWithTiers(db), seedOrgWithTiers(db), customRole(), m2mClient()]);
    const made = await createAssignment(ctx, { roleId: role.id, subject: { clientAppId: client.id }, orgId: a.org.id, expiresAt: null });
    expect(made).toMatchObject({ role: { id: role.id }, orgId: a.org.id, expiresAt: null, expired: false, grantedBy: ctx.user.email });

    const inA = await listOrgClients(await orgContext(a.org, a.owner), { scope: 'org' });
    expect(inA.items).toEqual([{ id: client.id, name: client.name, clientId: client.clientId, roles: [expect.objectContaining({ name: role.name, expiresAt: null })] }]);
    expect((await listOrgClients(await orgContext(b.org, b.owner), { scope: 'org' })).items).toEqual([]);

    const byOrg = await listSubjectAssignments(ctx, { clientAppId: client.id });
    expect(byOrg.global).toEqual([]);
    expect(byOrg.orgs.items.map((g) => [g.org.slug, g.assignments.map((x) => x.role.key)])).toEqual([[a.org.slug, [role.key]]]);

    const audit = await db.auditEvent.findMany({ where: { action: 'assignment.created', targetId: made.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: ctx.user.id, orgId: a.org.id, requestId: ctx.requestId });
    expect(audit[0]!.after).toMatchObject({ role: role.key, org: a.org.slug, subject: { type: 'client', id: client.id } });
  });

  it('lists a client with a global role separately, in every org, and groups the platform view org by org', async () => {
    const [ctx, a, b, role, orgRole, client] = await Promise.all([
      operatorContext(),
      seedOrgWithTiers(db),
      seedOrgWithTiers(db),
      customRole(),
      customRole(),
      m2mClient(),
    ]);
    await createAssignment(ctx, { roleId: role.id, subject: { clientAppId: client.id }, orgId: null, expiresAt: future() });
    await createAssignment(ctx, { roleId: orgRole.id, subject: { clientAppId: client.id }, orgId: b.org.id, expiresAt: null });
    for (const o of [a, b]) {
      // Global roles are everyone's: walk the pages (other tests' clients are there too).
      const octx = await orgContext(o.org, o.owner);
      let found: string[] | undefined;
      let cursor: string | undefined;
      do {
        const page = await listOrgClients(octx, { scope: 'global', cursor, limit: 200 });
        found ??= page.items.find((c) => c.id === client.id)?.roles.map((r) => r.key);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && !found);
      expect(found).toEqual([role.key]);
    }
    expect((await listOrgClients(await orgContext(a.org, a.owner), { scope: 'org' })).items).toEqual([]);
    const byOrg = await listSubjectAssignments(ctx, { clientAppId: client.id });
    expect(byOrg.global.map((x) => x.role.key)).toEqual([role.key]);
    expect(byOrg.global[0]!.expiresAt).not.toBeNull();
    expect(byOrg.orgs.items.map((g) => g.org.slug)).toEqual([b.org.slug]);
  });

  it('does not count expired assignments as acting in the org, but shows them flagged to the platform', async () => {
    const [ctx, a, role, client] = await Promise.all([operatorContext(), seedOrgWithTiers(db), customRole(), m2mClient()]);
    await db.roleAssignment.create({ data: { roleId: role.id, clientAppId: client.id, orgId: a.org.id, expiresAt: new Date(Date.now() - 1000) } });
    expect((await listOrgClients(await orgContext(a.org, a.owner), { scope: 'org' })).items).toEqual([]);
    const byOrg = await listSubjectAssignments(ctx, { clientAppId: client.id });
    expect(byOrg.orgs.items[0]!.assignments[0]).toMatchObject({ expired: true });
  });

  it('renews an expired row instead of adding a second one, and refuses a role the client already holds', async () => {
    const [ctx, a, role, client] = await Promise.all([operatorContext(), seedOrgWithTiers(db), customRole(), m2mClient()]);
    const old = await db.roleAssignment.create({ data: { roleId: role.id, clientAppId: client.id, orgId: a.org.id, expiresAt: new Date(Date.now() - 1000) } });
    const until = future();
    const renewed = await createAssignment(ctx, { roleId: role.id, subject: { clientAppId: client.id }, orgId: a.org.id, expiresAt: until });
    expect(renewed.id).toBe(old.id);
    expect(renewed.expiresAt).toBe(until.toISOString());
    expect(await db.roleAssignment.count({ where: { clientAppId: client.id } })).toBe(1);
    const again = await createAssignment(ctx, { roleId: role.id, subject: { clientAppId: client.id }, orgId: a.org.id, expiresAt: null }).catch((e) => e);
    expect(codeOf(again)).toBe('CONFLICT');
    expect((again as AppError).fieldErrors).toHaveProperty('roleId');
    // Global is a scope of its own.
    await createAssignment(ctx, { roleId: role.id, subject: { clientAppId: client.id }, orgId: null, expiresAt: null });
    expect(await db.roleAssignment.count({ where: { clientAppId: client.id } })).toBe(2);
  });

  it('keeps one row when the same role is given concurrently', async () => {
    const [ctx, a, role, client] = await Promise.all([operatorContext(), seedOrgWithTiers(db), customRole(), m2mClient()]);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => createAssignment(ctx, { roleId: role.id, subject: { clientAppId: client.id }, orgId: a.org.id, expiresAt: null })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(codeOf(r.reason)).toBe('CONFLICT');
    expect(await db.roleAssignment.count({ where: { clientAppId: client.id } })).toBe(1);
  });

  it('refuses bad input and changes nothing', async () => {
    await ensureBuiltInRoles(db);
    const [ctx, a, role, client, outsider] = await Promise.all([operatorContext(), seedOrgWithTiers(db), customRole(), m2mClient(), createUser(db)]);
    const web = await db.application.create({ data: { name: `Web ${randomSuffix()}`, type: 'REGULAR_WEB', clientId: `web-${randomSuffix()}` } });
    const ownerRole = await db.role.findUniqueOrThrow({ where: { key: 'org:owner' } });
    const unknown = '00000000-0000-4000-8000-000000000000';
    const base = { roleId: role.id, subject: { clientAppId: client.id }, orgId: a.org.id, expiresAt: null };
    const cases: [string, Parameters<typeof createAssignment>[1], string][] = [
      ['unknown role', { ...base, roleId: unknown }, 'roleId'],
      ['a built-in tier role', { ...base, roleId: ownerRole.id }, 'roleId'],
      ['an application that is not M2M', { ...base, subject: { clientAppId: web.id } }, 'subject'],
      ['an unknown client', { ...base, subject: { clientAppId: unknown } }, 'subject'],
      ['an unknown user', { ...base, subject: { userId: unknown } }, 'subject'],
      ['an unknown org', { ...base, orgId: unknown }, 'orgId'],
      ['a user outside the org', { ...base, subject: { userId: outsider.id } }, 'orgId'],
      ['an expiry in the past', { ...base, expiresAt: new Date(Date.now() - 60_000) }, 'expiresAt'],
    ];
    for (const [label, input, field] of cases) {
      const error = await createAssignment(ctx, input).catch((e) => e);
      expect(codeOf(error), label).toBe('BAD_INPUT');
      expect((error as AppError).fieldErrors, label).toHaveProperty(field);
    }
    expect(await db.roleAssignment.count({ where: { OR: [{ clientAppId: { in: [client.id, web.id] } }, { userId: outsider.id }] } })).toBe(0);
    expect(await db.auditEvent.count({ where: { actorId: ctx.user.id } })).toBe(0);
    // The schema refuses the same before the data layer is reached.
    expect(CreateAssignmentInput.safeParse({ ...base, expiresAt: '2001-01-01' }).success).toBe(false);
    expect(CreateAssignmentInput.safeParse({ ...base, orgId: undefined }).success).toBe(false);
  });

  it('gives a member a role in their org, and a global role to anyone', async () => {
    const [ctx, a, role] = await Promise.all([operatorContext(), seedOrgWithTiers(db), customRole()]);
    await createAssignment(ctx, { roleId: role.id, subject: { userId: a.employee.id }, orgId: a.org.id, expiresAt: null });
    const loner = await createUser(db);
    await createAssignment(ctx, { roleId: role.id, subject: { userId: loner.id }, orgId: null, expiresAt: null });
    const mine = await listSubjectAssignments(ctx, { userId: a.employee.id });
    expect(mine.orgs.items.map((g) => g.org.id)).toEqual([a.org.id]);
    expect((await listSubjectAssignments(ctx, { userId: loner.id })).global.map((x) => x.role.id)).toEqual([role.id]);
  });

  it('revokes an assignment with an audit row; an unknown id is not found', async () => {
    const [ctx, a, role, client] = await Promise.all([operatorContext(), seedOrgWithTiers(db), customRole(), m2mClient()]);
    const made = await createAssignment(ctx, { roleId: role.id, subject: { clientAppId: client.id }, orgId: a.org.id, expiresAt: null });
    await deleteAssignment(ctx, { assignmentId: made.id });
    expect(await db.roleAssignment.findUnique({ where: { id: made.id } })).toBeNull();
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'assignment.deleted', targetId: made.id } });
    expect(audit).toMatchObject({ orgId: a.org.id, actorId: ctx.user.id });
    expect(audit.before).toMatchObject({ role: role.key, org: a.org.slug, subject: { type: 'client', clientId: client.clientId } });
    expect(codeOf(await deleteAssignment(ctx, { assignmentId: made.id }).catch((e) => e))).toBe('NOT_FOUND');
  });
});

describe('the platform list of M2M clients', () => {
  it('lists only M2M applications, searchable, paginated, with their assignment counts', async () => {
    const [ctx, a, role] = await Promise.all([operatorContext(), seedOrgWithTiers(db), customRole()]);
    const tag = randomSuffix();
    const clients = await Promise.all([m2mClient(`Svc ${tag} one`), m2mClient(`Svc ${tag} two`), m2mClient(`Svc ${tag} three`)]);
    await db.application.create({ data: { name: `Svc ${tag} web`, type: 'SPA', clientId: `spa-${tag}` } });
    await createAssignment(ctx, { roleId: role.id, subject: { clientAppId: clients[0].id }, orgId: a.org.id, expiresAt: null });
    await createAssignment(ctx, { roleId: role.id, subject: { clientAppId: clients[0].id }, orgId: null, expiresAt: null });

    const first = await listClients(ctx, { q: `svc ${tag}`, limit: 2 });
    expect(first.items.map((c) => c.name)).toEqual([`Svc ${tag} one`, `Svc ${tag} three`]);
    expect(first.nextCursor).not.toBeNull();
    const second = await listClients(ctx, { q: `svc ${tag}`, limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((c) => c.name)).toEqual([`Svc ${tag} two`]);
    expect(second.nextCursor).toBeNull();
    expect(first.items[0]!.assignmentCount).toBe(2);
    expect((await listClients(ctx, { q: clients[1].clientId })).items.map((c) => c.id)).toEqual([clients[1].id]);

    expect(await getClient(ctx, clients[0].id)).toMatchObject({ clientId: clients[0].clientId, assignmentCount: 2 });
    const spa = await db.application.findFirstOrThrow({ where: { clientId: `spa-${tag}` } });
    expect(await getClient(ctx, spa.id)).toBeNull();
    expect(await getClient(ctx, 'not-a-uuid')).toBeNull();
  });

  it('finds orgs by slug for the picker', async () => {
    const ctx = await operatorContext();
    const s = randomSuffix();
    const org = await createOrg(db, { slug: `pick-${s}`, name: `Pickable ${s}` });
    expect((await searchOrgs(ctx, `pick-${s}`)).map((o) => o.id)).toEqual([org.id]);
    expect((await searchOrgs(ctx, `PICKABLE ${s}`)).map((o) => o.id)).toEqual([org.id]);
    expect(await searchOrgs(ctx, `nothing-${s}`)).toEqual([]);
  });

  it('paginates the orgs a client acts in', async () => {
    const [ctx, role, client] = await Promise.all([operatorContext(), customRole(), m2mClient()]);
    const s = randomSuffix();
    const orgs = await Promise.all([1, 2, 3].map((i) => createOrg(db, { slug: `page-${s}-${i}` })));
    for (const o of orgs) await createAssignment(ctx, { roleId: role.id, subject: { clientAppId: client.id }, orgId: o.id, expiresAt: null });
    const first = await listSubjectAssignments(ctx, { clientAppId: client.id }, { limit: 2 });
    expect(first.orgs.items.map((g) => g.org.slug)).toEqual([`page-${s}-1`, `page-${s}-2`]);
    const second = await listSubjectAssignments(ctx, { clientAppId: client.id }, { limit: 2, cursor: first.orgs.nextCursor! });
    expect(second.orgs.items.map((g) => g.org.slug)).toEqual([`page-${s}-3`]);
    expect(second.orgs.nextCursor).toBeNull();
    // Membership-free: a client "belongs" to an org through its roles there.
    expect(await db.membership.count({ where: { orgId: { in: orgs.map((o) => o.id) } } })).toBe(0);
  });
});
