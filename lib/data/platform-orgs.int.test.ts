import { describe, expect, it } from 'vitest';
import type { PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { SetOrgAuth0LinkInput } from '@/lib/schemas/org-link';
import { createOrg, createUser, randomSuffix } from '@/prisma/factories';
import { getPlatformOrg, listPlatformOrgs, setOrgAuth0Link } from './platform-orgs';

async function operator(): Promise<PlatformContext> {
  const u = await createUser(db, { platformRole: 'OPERATOR' });
  return {
    user: { id: u.id, sub: u.sub, email: u.email, name: u.name, platformRole: 'OPERATOR', blocked: false },
    requestId: `req-${randomSuffix()}`,
    actor: { platformRole: 'OPERATOR' },
  };
}

const link = (orgId: string, auth0OrgId: string) => SetOrgAuth0LinkInput.parse({ orgId, auth0OrgId });

describe('the link from an org to its Auth0 organization', () => {
  it('links, relinks and unlinks, each audited with before and after, and changes nothing when unchanged', async () => {
    const ctx = await operator();
    const org = await createOrg(db);
    const first = `org_${randomSuffix(8)}`;
    const second = `org_${randomSuffix(8)}`;
    expect(await setOrgAuth0Link(ctx, link(org.id, first))).toEqual({ id: org.id, auth0OrgId: first, changed: true });
    expect(await setOrgAuth0Link(ctx, link(org.id, ` ${first} `))).toEqual({ id: org.id, auth0OrgId: first, changed: false });
    await setOrgAuth0Link(ctx, link(org.id, second));
    expect((await getPlatformOrg(ctx, org.id))?.auth0OrgId).toBe(second);
    await setOrgAuth0Link(ctx, link(org.id, ''));
    expect((await getPlatformOrg(ctx, org.id))?.auth0OrgId).toBeNull();

    const audit = await db.auditEvent.findMany({ where: { orgId: org.id, action: 'org.updated' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.before, a.after, a.actorId])).toEqual([
      [{ auth0OrgId: null }, { auth0OrgId: first }, ctx.user.id],
      [{ auth0OrgId: first }, { auth0OrgId: second }, ctx.user.id],
      [{ auth0OrgId: second }, { auth0OrgId: null }, ctx.user.id],
    ]);
  });

  it('links one org per Auth0 organization, naming the org that has it', async () => {
    const ctx = await operator();
    const [a, b] = await Promise.all([createOrg(db), createOrg(db)]);
    const id = `org_${randomSuffix(8)}`;
    await setOrgAuth0Link(ctx, link(a.id, id));
    await expect(setOrgAuth0Link(ctx, link(b.id, id))).rejects.toMatchObject({
      code: 'CONFLICT',
      fieldErrors: { auth0OrgId: [`The organization ${a.name} (${a.slug}) is already linked to ${id}; unlink it there first.`] },
    });
    expect((await getPlatformOrg(ctx, b.id))?.auth0OrgId).toBeNull();
  });

  it('accepts only Auth0 organization ids, in the schema and in the database', async () => {
    const org = await createOrg(db);
    for (const bad of ['acme', 'org_', 'org_has space', 'org_under_score', `org_${'a'.repeat(47)}`, 'ORG_abc']) {
      expect(SetOrgAuth0LinkInput.safeParse({ orgId: org.id, auth0OrgId: bad }).success, bad).toBe(false);
      await expect(db.org.update({ where: { id: org.id }, data: { auth0OrgId: bad } }), bad).rejects.toThrow();
    }
    expect(SetOrgAuth0LinkInput.parse({ orgId: org.id, auth0OrgId: 'org_W30bMi7kV4l7V3Yt' }).auth0OrgId).toBe('org_W30bMi7kV4l7V3Yt');
    expect(SetOrgAuth0LinkInput.parse({ orgId: org.id }).auth0OrgId).toBeNull();
  });

  it('answers NOT_FOUND for an org that does not exist', async () => {
    const ctx = await operator();
    await expect(setOrgAuth0Link(ctx, link('00000000-0000-4000-8000-000000000000', `org_${randomSuffix(8)}`))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await getPlatformOrg(ctx, 'not-a-uuid')).toBeNull();
  });

  it('lists orgs by name, found by name, slug or Auth0 organization id', async () => {
    const ctx = await operator();
    const s = randomSuffix();
    const org = await createOrg(db, { name: `Listed ${s}` });
    const id = `org_${randomSuffix(8)}`;
    await setOrgAuth0Link(ctx, link(org.id, id));
    for (const q of [`Listed ${s}`, org.slug, id]) {
      const page = await listPlatformOrgs(ctx, { q });
      expect(page.items, q).toEqual([{ id: org.id, slug: org.slug, name: org.name, auth0OrgId: id, suspended: false, members: 0, createdAt: org.createdAt.toISOString(), lastSignInAt: null }]);
    }
  });
});
