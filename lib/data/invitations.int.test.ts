import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { createUser, randomSuffix, seedOrgWithTiers } from '@/prisma/factories';
import { orgContext, userContext } from '@/tests/contexts';
import { acceptInvitation, getInvitationView } from './invitation-acceptance';
import { hashInvitationToken, INVITATIONS_PER_HOUR, inviteMembers, resendInvitation, revokeInvitation } from './invitations';

const codeOf = (e: unknown) => (e instanceof AppError ? e.code : `not an AppError: ${String(e)}`);

/** Without SMTP settings, mail lands in the development outbox; the link is read from there like a person would. */
async function tokenMailedTo(email: string): Promise<string> {
  const msg = await db.outboxMessage.findFirstOrThrow({ where: { to: email }, orderBy: { createdAt: 'desc' } });
  const token = /\/invite\/([A-Za-z0-9_-]{43})/.exec(msg.text)?.[1];
  if (!token) throw new Error(`no invitation link in: ${msg.text}`);
  return token;
}

const address = (name: string) => `${name}-${randomSuffix()}@invited.test`;

describe('inviting', () => {
  it('invites several addresses, skips members and pending ones with reasons, stores only the token hash', async () => {
    const { org, owner, employee } = await seedOrgWithTiers(db);
    const ctx = await orgContext(org, owner);
    const role = await db.role.create({ data: { key: `r-${randomSuffix()}`, name: 'Billing' } });
    const a = address('ada');
    const b = address('bob');
    const first = await inviteMembers(ctx, { emails: [a, ` ${b.toUpperCase()} `, a], tier: 'ADMIN', roleIds: [role.id] });
    expect(first.results).toEqual([
      { email: a, status: 'invited', emailSent: true },
      { email: b, status: 'invited', emailSent: true },
    ]);
    const second = await inviteMembers(ctx, { emails: [a, employee.email], tier: 'EMPLOYEE', roleIds: [] });
    expect(second.results.map((r) => r.status)).toEqual(['skipped', 'skipped']);

    const token = await tokenMailedTo(a);
    const rows = await db.invitation.findMany({ where: { orgId: org.id }, include: { roles: true } });
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.email === a)).toMatchObject({ tier: 'ADMIN', tokenHash: hashInvitationToken(token), roles: [expect.objectContaining({ roleId: role.id })] });
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await db.auditEvent.count({ where: { orgId: org.id, action: 'invitation.created' } })).toBe(2);
  });

  it('rejects bad input as a whole and changes nothing', async () => {
    const { org, owner, admin } = await seedOrgWithTiers(db);
    const ctx = await orgContext(org, owner);
    const good = address('good');
    const bad = await inviteMembers(ctx, { emails: [good, 'not-an-email', 'x@'], tier: 'EMPLOYEE', roleIds: [] }).catch((e) => e);
    expect(codeOf(bad)).toBe('BAD_INPUT');
    expect((bad as AppError).message).toContain('not-an-email');
    expect((bad as AppError).fieldErrors?.['emails.1']).toBeDefined();
    expect(codeOf(await inviteMembers(ctx, { emails: [good], tier: 'EMPLOYEE', roleIds: [crypto.randomUUID()] }).catch((e) => e))).toBe('BAD_INPUT');
    // Admins invite admins and employees, never owners.
    expect(codeOf(await inviteMembers(await orgContext(org, admin), { emails: [good], tier: 'OWNER', roleIds: [] }).catch((e) => e))).toBe('FORBIDDEN');
    expect(await db.invitation.count({ where: { orgId: org.id } })).toBe(0);
    expect(await db.outboxMessage.count({ where: { to: good } })).toBe(0);
  });

  it('is rate-limited per org with a clear error', async () => {
    const { org, owner } = await seedOrgWithTiers(db);
    const other = await seedOrgWithTiers(db);
    const now = new Date();
    await db.invitation.createMany({
      data: Array.from({ length: INVITATIONS_PER_HOUR - 1 }, (_, i) => ({
        orgId: org.id,
        email: `bulk${i}-${randomSuffix()}@invited.test`,
        tier: 'EMPLOYEE' as const,
        tokenHash: hashInvitationToken(`bulk-${i}-${randomSuffix()}`),
        expiresAt: new Date(now.getTime() + 86_400_000),
        lastSentAt: now,
      })),
    });
    const ctx = await orgContext(org, owner);
    const limited = await inviteMembers(ctx, { emails: [address('c'), address('d')], tier: 'EMPLOYEE', roleIds: [] }).catch((e) => e);
    expect(codeOf(limited)).toBe('RATE_LIMITED');
    expect((limited as AppError).message).toMatch(/1 left/);
    // One more still fits, and another org is not affected.
    await inviteMembers(ctx, { emails: [address('e')], tier: 'EMPLOYEE', roleIds: [] });
    await inviteMembers(await orgContext(other.org, other.owner), { emails: [address('f')], tier: 'EMPLOYEE', roleIds: [] });
  });
});

describe('accepting', () => {
  it('works once, for the verified invited address, with the tier and roles', async () => {
    const { org, owner } = await seedOrgWithTiers(db);
    const role = await db.role.create({ data: { key: `r-${randomSuffix()}`, name: 'Support' } });
    const email = address('invitee');
    await inviteMembers(await orgContext(org, owner), { emails: [email], tier: 'ADMIN', roleIds: [role.id] });
    const token = await tokenMailedTo(email);

    const stranger = await createUser(db, { emailVerified: true });
    const unverified = await createUser(db, { email, emailVerified: false });
    const invitee = await createUser(db, { email: email.toUpperCase(), emailVerified: true });

    expect(await getInvitationView(token, null)).toMatchObject({ state: 'pending', orgName: org.name, tier: 'ADMIN', emailMatches: null });
    expect(await getInvitationView(token, stranger.id)).toMatchObject({ state: 'pending', emailMatches: false });
    expect(codeOf(await acceptInvitation(userContext(stranger), token).catch((e) => e))).toBe('FORBIDDEN');
    expect(codeOf(await acceptInvitation(userContext(unverified), token).catch((e) => e))).toBe('FORBIDDEN');

    // Two tabs accepting at once: exactly one wins.
    const results = await Promise.allSettled([acceptInvitation(userContext(invitee), token), acceptInvitation(userContext(invitee), token)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toEqual([{ status: 'fulfilled', value: { orgSlug: org.slug } }]);
    expect(codeOf((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason)).toBe('NOT_FOUND');

    expect(await db.membership.findUnique({ where: { orgId_userId: { orgId: org.id, userId: invitee.id } } })).toMatchObject({ tier: 'ADMIN' });
    expect(await db.roleAssignment.count({ where: { userId: invitee.id, orgId: org.id, roleId: role.id } })).toBe(1);
    expect(await getInvitationView(token, invitee.id)).toEqual({ state: 'used' });
    const actions = (await db.auditEvent.findMany({ where: { orgId: org.id }, select: { action: true } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['invitation.created', 'invitation.accepted', 'member.added']));
  });

  it('shows expired, revoked and unknown links without naming the org, and refuses them', async () => {
    const { org, owner } = await seedOrgWithTiers(db);
    const ctx = await orgContext(org, owner);
    const [e1, e2] = [address('late'), address('gone')];
    await inviteMembers(ctx, { emails: [e1, e2], tier: 'EMPLOYEE', roleIds: [] });
    const [t1, t2] = [await tokenMailedTo(e1), await tokenMailedTo(e2)];
    await db.invitation.update({ where: { tokenHash: hashInvitationToken(t1) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const inv2 = await db.invitation.findUniqueOrThrow({ where: { tokenHash: hashInvitationToken(t2) } });
    await revokeInvitation(ctx, { invitationId: inv2.id });

    expect(await getInvitationView(t1, null)).toEqual({ state: 'expired' });
    expect(await getInvitationView(t2, null)).toEqual({ state: 'revoked' });
    expect(await getInvitationView('A'.repeat(43), null)).toEqual({ state: 'invalid' });
    expect(await getInvitationView('../../etc/passwd', null)).toEqual({ state: 'invalid' });
    const invitee = await createUser(db, { email: e1, emailVerified: true });
    expect(codeOf(await acceptInvitation(userContext(invitee), t1).catch((e) => e))).toBe('NOT_FOUND');
  });

  it('resend issues a fresh token and kills the old one; expired invitations can be reissued', async () => {
    const { org, owner, admin } = await seedOrgWithTiers(db);
    const ctx = await orgContext(org, owner);
    const email = address('again');
    await inviteMembers(ctx, { emails: [email], tier: 'EMPLOYEE', roleIds: [] });
    const old = await tokenMailedTo(email);
    const inv = await db.invitation.findUniqueOrThrow({ where: { tokenHash: hashInvitationToken(old) } });
    await new Promise((r) => setTimeout(r, 5));
    const resent = await resendInvitation(await orgContext(org, admin), { invitationId: inv.id });
    expect(resent.emailSent).toBe(true);
    const fresh = await tokenMailedTo(email);
    expect(fresh).not.toBe(old);
    expect(await getInvitationView(old, null)).toEqual({ state: 'invalid' });
    expect(await getInvitationView(fresh, null)).toMatchObject({ state: 'pending' });
    expect((await db.invitation.findUniqueOrThrow({ where: { id: inv.id } })).sendCount).toBe(2);

    // An expired invitation does not block a new one for the same address.
    await db.invitation.update({ where: { id: inv.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const again = await inviteMembers(ctx, { emails: [email], tier: 'ADMIN', roleIds: [] });
    expect(again.results).toEqual([{ email, status: 'invited', emailSent: true }]);
  });

  it('keeps invitation ids of another org out of reach', async () => {
    const a = await seedOrgWithTiers(db);
    const b = await seedOrgWithTiers(db);
    const email = address('b-only');
    await inviteMembers(await orgContext(b.org, b.owner), { emails: [email], tier: 'EMPLOYEE', roleIds: [] });
    const inv = await db.invitation.findFirstOrThrow({ where: { orgId: b.org.id } });
    const ctxA = await orgContext(a.org, a.owner);
    expect(codeOf(await revokeInvitation(ctxA, { invitationId: inv.id }).catch((e) => e))).toBe('NOT_FOUND');
    expect(codeOf(await resendInvitation(ctxA, { invitationId: inv.id }).catch((e) => e))).toBe('NOT_FOUND');
    expect((await db.invitation.findUniqueOrThrow({ where: { id: inv.id } })).revokedAt).toBeNull();
  });
});
