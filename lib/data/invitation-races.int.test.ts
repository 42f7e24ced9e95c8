import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { createUser, randomSuffix, seedOrgWithTiers } from '@/prisma/factories';
import { orgContext, userContext } from '@/tests/contexts';
import { acceptInvitation } from './invitation-acceptance';
import { inviteMembers, revokeInvitation } from './invitations';

const outcome = (r: PromiseSettledResult<unknown>) =>
  r.status === 'fulfilled' ? 'ok' : r.reason instanceof AppError ? r.reason.code : `not an AppError: ${String(r.reason)}`;

describe('an invitation revoked while it is accepted', () => {
  it('ends either accepted or revoked, and the loser gets a typed CONFLICT, never INTERNAL', async () => {
    const { org, owner } = await seedOrgWithTiers(db);
    const ctx = await orgContext(org, owner);
    const outcomes: string[] = [];
    for (let round = 0; round < 8; round++) {
      const email = `race-${randomSuffix()}@invited.test`;
      await inviteMembers(ctx, { emails: [email], tier: 'EMPLOYEE', roleIds: [] });
      const inv = await db.invitation.findFirstOrThrow({ where: { orgId: org.id, email } });
      const msg = await db.outboxMessage.findFirstOrThrow({ where: { to: email }, orderBy: { createdAt: 'desc' } });
      const token = /\/invite\/([A-Za-z0-9_-]{43})/.exec(msg.text)![1]!;
      const invitee = await createUser(db, { email, emailVerified: true });
      const results = await Promise.allSettled([acceptInvitation(userContext(invitee), token), revokeInvitation(ctx, { invitationId: inv.id })]);
      const pair = results.map(outcome);
      outcomes.push(pair.join('/'));
      expect(pair.filter((o) => o === 'ok')).toHaveLength(1);
      expect(pair.filter((o) => o !== 'ok').every((o) => o === 'CONFLICT' || o === 'NOT_FOUND')).toBe(true);
      const row = await db.invitation.findUniqueOrThrow({ where: { id: inv.id } });
      expect(Boolean(row.acceptedAt) !== Boolean(row.revokedAt)).toBe(true);
    }
    expect(outcomes).toHaveLength(8);
  });
});
