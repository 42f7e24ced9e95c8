import { describe, expect, it } from 'vitest';
import type { UserContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { createOrg as makeOrg, createUser, randomSuffix } from '@/prisma/factories';
import { createOrg, listMyOrgs } from './orgs';

async function userCtx(): Promise<UserContext> {
  const u = await createUser(db);
  return { user: { id: u.id, sub: u.sub, email: u.email, name: u.name, platformRole: 'NONE', blocked: false }, requestId: `req-${randomSuffix()}` };
}

describe('creating an org (onboarding)', () => {
  it('makes the caller its owner and audits it in the same transaction', async () => {
    const ctx = await userCtx();
    const slug = `onb-${randomSuffix()}`;
    const org = await createOrg(ctx, { name: 'Onboarded Inc', slug });
    expect(org).toEqual({ slug, name: 'Onboarded Inc' });

    const row = await db.org.findUniqueOrThrow({ where: { slug }, include: { memberships: true } });
    expect(row.memberships).toEqual([expect.objectContaining({ userId: ctx.user.id, tier: 'OWNER' })]);
    const audit = await db.auditEvent.findMany({ where: { orgId: row.id } });
    expect(audit).toEqual([
      expect.objectContaining({ action: 'org.created', actorId: ctx.user.id, actorType: 'user', requestId: ctx.requestId, targetId: row.id }),
    ]);
    expect(await listMyOrgs(ctx)).toEqual([{ slug, name: 'Onboarded Inc', tier: 'OWNER', suspended: false }]);
  });

  it('refuses a taken slug with a field error and changes nothing', async () => {
    const existing = await makeOrg(db);
    const ctx = await userCtx();
    const error = await createOrg(ctx, { name: 'Copycat', slug: existing.slug }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFLICT');
    expect((error as AppError).fieldErrors?.slug?.[0]).toMatch(/taken/);
    expect(await db.membership.count({ where: { userId: ctx.user.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { actorId: ctx.user.id } })).toBe(0);
  });

  it('lets the database refuse a malformed slug even past the schema', async () => {
    await expect(db.org.create({ data: { slug: 'Bad Slug', name: 'x' } })).rejects.toThrow();
  });
});
