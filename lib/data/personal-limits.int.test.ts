import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { DEFAULT_PERSONAL_LIMITS, env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { createUser, randomSuffix, seedOrgWithTiers } from '@/prisma/factories';
import { orgContext, userContext } from '@/tests/contexts';
import { inviteMembers } from './invitations';
import { createOrg } from './orgs';

const codeOf = (e: unknown) => (e instanceof AppError ? e.code : `not an AppError: ${String(e)}`);

describe('abuse limits per person', () => {
  it('uses the documented defaults when nothing is configured', () => {
    expect(env().limits).toEqual({ orgsPerHour: 5, orgsPerDay: 20, invitationsPerHour: 200, invitationsPerDay: 1000 });
    expect(env().limits).toEqual(DEFAULT_PERSONAL_LIMITS);
  });

  it('refuses the 6th org in an hour with RATE_LIMITED and a time to retry, and writes nothing', async () => {
    const user = await createUser(db, { emailVerified: true });
    const ctx = userContext(user);
    const tag = randomSuffix();
    for (let i = 0; i < 5; i++) await createOrg(ctx, { name: `Limited ${tag} ${i}`, slug: `lim-${tag}-${i}` });
    const before = { orgs: await db.org.count(), memberships: await db.membership.count({ where: { userId: user.id } }), audit: await db.auditEvent.count({ where: { actorId: user.id } }) };

    const refused = await createOrg(ctx, { name: `Limited ${tag} 6`, slug: `lim-${tag}-6` }).catch((e: unknown) => e);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect((refused as AppError).status).toBe(429);
    expect((refused as AppError).message).toMatch(/You can create 5 organizations an hour; try again in \d+ minutes?\./);

    expect(await db.org.count({ where: { slug: `lim-${tag}-6` } })).toBe(0);
    expect({ orgs: await db.org.count(), memberships: await db.membership.count({ where: { userId: user.id } }), audit: await db.auditEvent.count({ where: { actorId: user.id } }) }).toEqual(
      before,
    );
    // Another person is not held back by this one.
    const other = userContext(await createUser(db, { emailVerified: true }));
    await expect(createOrg(other, { name: `Other ${tag}`, slug: `lim-${tag}-other` })).resolves.toMatchObject({ slug: `lim-${tag}-other` });
  });

  it('counts concurrent creations one after the other (no burst past the limit)', async () => {
    const ctx = userContext(await createUser(db, { emailVerified: true }));
    const tag = randomSuffix();
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => createOrg(ctx, { name: `Burst ${tag} ${i}`, slug: `burst-${tag}-${i}` })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(results.filter((r) => r.status === 'rejected').map((r) => codeOf((r as PromiseRejectedResult).reason))).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(await db.org.count({ where: { slug: { startsWith: `burst-${tag}-` } } })).toBe(5);
  });

  it('counts invitations one person sent in every org, per hour, and refuses the excess without inviting anyone', async () => {
    const { org, owner } = await seedOrgWithTiers(db);
    // 199 invitations this person sent elsewhere in the last hour, as their audit trail records them.
    await db.$executeRaw`INSERT INTO audit_events (actor_type, actor_id, action, at)
      SELECT 'user', ${owner.id}::uuid, 'invitation.created', now() - interval '30 minutes' FROM generate_series(1, 199)`;
    const ctx = await orgContext(org, owner);
    const emails = [`a-${randomSuffix()}@invited.test`, `b-${randomSuffix()}@invited.test`];
    const refused = await inviteMembers(ctx, { emails, tier: 'EMPLOYEE', roleIds: [] }).catch((e: unknown) => e);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect((refused as AppError).message).toMatch(/You can send 200 invitations an hour and have 1 left; send fewer, or try again in \d+ minutes\./);
    expect(await db.invitation.count({ where: { orgId: org.id } })).toBe(0);
    await expect(inviteMembers(ctx, { emails: emails.slice(0, 1), tier: 'EMPLOYEE', roleIds: [] })).resolves.toMatchObject({ results: [{ status: 'invited' }] });
  });
});
