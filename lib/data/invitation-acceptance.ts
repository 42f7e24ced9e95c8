import 'server-only';
import { audit } from '@/lib/audit';
import type { Tier } from '@/lib/authz/permissions';
import type { UserContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { grantOrgRole } from './grants';
import { lockOrg } from './orgs';
import { hashInvitationToken } from './invitations';

/**
 * Invitations, the invitee's side: what the link's page may show, accepting (once, with the invited verified
 * email), and how many invitations wait for the signed-in user.
 */

/**
 * How many open invitations await the signed-in user's verified email (none for an unverified email, so nobody
 * learns about invitations by signing up with someone else's address).
 */
export async function getPendingInvitationFor(ctx: UserContext): Promise<number> {
  const user = await db.user.findUnique({ where: { id: ctx.user.id }, select: { email: true, emailVerified: true } });
  if (!user?.emailVerified) return 0;
  return db.invitation.count({
    where: { email: user.email, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
  });
}

/** "o***@acme.test": enough for the invitee to recognise, too little to harvest. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

export type InvitationView =
  | { state: 'invalid' | 'expired' | 'used' | 'revoked' }
  | { state: 'pending'; orgName: string; inviterName: string | null; tier: Tier; maskedEmail: string; expiresAt: string; emailMatches: boolean | null };

/**
 * What the invitation page may show for a token. Anything but a pending invitation shows only its state, never
 * the org. `emailMatches` is null when nobody is signed in.
 */
export async function getInvitationView(token: string, viewerId: string | null): Promise<InvitationView> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { state: 'invalid' };
  const viewer = viewerId ? await db.user.findUnique({ where: { id: viewerId }, select: { email: true, emailVerified: true } }) : null;
  const inv = await db.invitation.findUnique({
    where: { tokenHash: hashInvitationToken(token) },
    select: {
      email: true,
      tier: true,
      acceptedAt: true,
      revokedAt: true,
      expiresAt: true,
      org: { select: { name: true, suspendedAt: true } },
      invitedBy: { select: { name: true, email: true } },
    },
  });
  if (!inv || inv.org.suspendedAt) return { state: 'invalid' };
  if (inv.acceptedAt) return { state: 'used' };
  if (inv.revokedAt) return { state: 'revoked' };
  if (inv.expiresAt <= new Date()) return { state: 'expired' };
  return {
    state: 'pending',
    orgName: inv.org.name,
    inviterName: inv.invitedBy?.name ?? inv.invitedBy?.email ?? null,
    tier: inv.tier,
    maskedEmail: maskEmail(inv.email),
    expiresAt: inv.expiresAt.toISOString(),
    emailMatches: viewer ? viewer.emailVerified && viewer.email.toLowerCase() === inv.email : null,
  };
}

const NOT_VALID = 'This invitation link is not valid any more. Ask the person who invited you for a new one.';

/**
 * Accepts an invitation for the signed-in user: their verified email must be the invited address. Works once
 * (the row is locked and marked accepted in the same transaction as the membership it creates).
 */
export async function acceptInvitation(ctx: UserContext, token: string): Promise<{ orgSlug: string }> {
  const tokenHash = hashInvitationToken(token);
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM invitations WHERE token_hash = ${tokenHash} FOR UPDATE`;
    const id = locked[0]?.id;
    if (!id) throw new AppError('NOT_FOUND', NOT_VALID);
    const inv = await tx.invitation.findUniqueOrThrow({
      where: { id },
      select: {
        id: true,
        orgId: true,
        email: true,
        tier: true,
        acceptedAt: true,
        revokedAt: true,
        expiresAt: true,
        org: { select: { slug: true, suspendedAt: true } },
        roles: { select: { roleId: true, role: { select: { key: true } } } },
      },
    });
    if (inv.acceptedAt || inv.revokedAt || inv.expiresAt <= new Date() || inv.org.suspendedAt) {
      throw new AppError('NOT_FOUND', NOT_VALID);
    }
    const me = await tx.user.findUniqueOrThrow({ where: { id: ctx.user.id }, select: { email: true, emailVerified: true } });
    if (!me.emailVerified) throw new AppError('FORBIDDEN', 'Verify your email address with your identity provider, then open the link again.');
    if (me.email.toLowerCase() !== inv.email) {
      throw new AppError('FORBIDDEN', `This invitation was sent to ${maskEmail(inv.email)}. Sign in with that address to accept it.`);
    }
    // The org lock before the membership, as on every path that gives org roles (grants.ts).
    await lockOrg(tx, inv.orgId);
    const existing = await tx.membership.findUnique({ where: { orgId_userId: { orgId: inv.orgId, userId: ctx.user.id } }, select: { id: true } });
    if (!existing) await tx.membership.create({ data: { orgId: inv.orgId, userId: ctx.user.id, tier: inv.tier } });
    for (const r of inv.roles) {
      await grantOrgRole(tx, { invitation: { id: inv.id } }, { orgId: inv.orgId, userId: ctx.user.id, roleId: r.roleId, grantedById: null });
    }
    await tx.invitation.update({ where: { id: inv.id }, data: { acceptedAt: new Date(), acceptedById: ctx.user.id } });
    await audit(tx, ctx, { orgId: inv.orgId, action: 'invitation.accepted', target: { type: 'invitation', id: inv.id }, after: { email: inv.email, tier: inv.tier } });
    if (!existing) {
      await audit(tx, ctx, {
        orgId: inv.orgId,
        action: 'member.added',
        target: { type: 'user', id: ctx.user.id },
        after: { email: inv.email, tier: inv.tier, roles: inv.roles.map((r) => r.role.key), via: 'invitation' },
      });
    }
    return { orgSlug: inv.org.slug };
  });
}
