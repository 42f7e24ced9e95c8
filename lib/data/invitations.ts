import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { audit } from '@/lib/audit';
import { TIER_LABELS, type Tier } from '@/lib/vocabulary';
import { canAssignTier } from '@/lib/authz/policy';
import type { OrgContext } from '@/lib/authz/types';
import { db, type Tx } from '@/lib/db';
import { env } from '@/lib/env';
import { AppError, type FieldErrors } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { renderInvitationEmail, sendMail } from '@/lib/mail';
import { EmailAddress, type InviteMembersInput } from '@/lib/schemas/members';
import { lockOrg } from './orgs';
import { newestFirst, type Page } from './pagination';
import { assertUnderPersonalLimit } from './personal-limits';

/**
 * Invitations, the org's side: listing, inviting (with mail sent after the commit), resending and revoking. The
 * invitee's side (the link's page and accepting) is invitation-acceptance.ts.
 */

export type InvitationStatus = 'pending' | 'expired' | 'accepted' | 'revoked';

export interface InvitationDto {
  id: string;
  email: string;
  tier: Tier;
  status: InvitationStatus;
  roles: string[];
  invitedBy: string | null;
  expiresAt: string;
  createdAt: string;
  sendCount: number;
}

function statusOf(i: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now: Date): InvitationStatus {
  if (i.acceptedAt) return 'accepted';
  if (i.revokedAt) return 'revoked';
  return i.expiresAt <= now ? 'expired' : 'pending';
}

/** Invitations of the caller's org, newest first, optionally filtered by status. */
export async function listInvitations(
  ctx: OrgContext,
  params: { status?: InvitationStatus; cursor?: string; limit?: number },
): Promise<Page<InvitationDto>> {
  const page = newestFirst.query(params);
  const now = new Date();
  const statusWhere =
    params.status === 'accepted'
      ? { acceptedAt: { not: null } }
      : params.status === 'revoked'
        ? { revokedAt: { not: null } }
        : params.status === 'expired'
          ? { acceptedAt: null, revokedAt: null, expiresAt: { lte: now } }
          : params.status === 'pending'
            ? { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } }
            : {};
  const rows = await db.invitation.findMany({
    where: {
      orgId: ctx.org.id,
      ...statusWhere,
      ...page.where,
    },
    orderBy: page.orderBy,
    take: page.take,
    select: {
      id: true,
      email: true,
      tier: true,
      acceptedAt: true,
      revokedAt: true,
      expiresAt: true,
      createdAt: true,
      sendCount: true,
      invitedBy: { select: { email: true } },
      roles: { select: { role: { select: { name: true } } } },
    },
  });
  const { items, nextCursor } = page.page(rows);
  return {
    nextCursor,
    items: items.map((r) => ({
      id: r.id,
      email: r.email,
      tier: r.tier,
      status: statusOf(r, now),
      roles: r.roles.map((x) => x.role.name),
      invitedBy: r.invitedBy?.email ?? null,
      expiresAt: r.expiresAt.toISOString(),
      createdAt: r.createdAt.toISOString(),
      sendCount: r.sendCount,
    })),
  };
}

/** Invitations an org may send (new and resent) in any rolling hour. */
export const INVITATIONS_PER_HOUR = 200;

/** A 256-bit random token for the link; only its SHA-256 is stored. */
export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashInvitationToken(token) };
}

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function invitationLink(token: string): string {
  return new URL(`/invite/${token}`, env().appBaseUrl).toString();
}

function expiryFrom(now: Date, days: number): Date {
  return new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
}

async function assertUnderRateLimit(tx: Tx, orgId: string, adding: number, now: Date) {
  const sent = await tx.invitation.count({ where: { orgId, lastSentAt: { gt: new Date(now.getTime() - 60 * 60 * 1000) } } });
  if (sent + adding > INVITATIONS_PER_HOUR) {
    const left = Math.max(0, INVITATIONS_PER_HOUR - sent);
    throw new AppError(
      'RATE_LIMITED',
      `This organization can send ${INVITATIONS_PER_HOUR} invitations an hour and has ${left} left. Try again later or invite fewer people.`,
    );
  }
}

export interface InviteResult {
  email: string;
  status: 'invited' | 'skipped';
  message?: string;
  emailSent?: boolean;
}

/** Normalises and checks every address; one malformed address rejects the whole submit so nothing half-happens. */
function parseAddresses(raw: string[]): string[] {
  const fieldErrors: FieldErrors = {};
  const bad: string[] = [];
  const emails: string[] = [];
  raw.forEach((value, i) => {
    const parsed = EmailAddress.safeParse(value);
    if (!parsed.success) {
      fieldErrors[`emails.${i}`] = [`${value.slice(0, 80)}: ${parsed.error.issues[0]?.message ?? 'not valid'}`];
      bad.push(value.slice(0, 80));
    } else if (!emails.includes(parsed.data)) {
      emails.push(parsed.data);
    }
  });
  if (bad.length > 0) {
    const list = bad.slice(0, 5).join(', ') + (bad.length > 5 ? ` and ${bad.length - 5} more` : '');
    throw new AppError('BAD_INPUT', `Fix ${bad.length === 1 ? 'this address' : `these ${bad.length} addresses`} and try again: ${list}. Nobody was invited.`, {
      fieldErrors: { ...fieldErrors, emails: [`${bad.length} not valid`] },
    });
  }
  return emails;
}

async function sendInvitationEmail(
  ctx: OrgContext,
  invitation: { email: string; tier: Tier; expiresAt: Date },
  token: string,
): Promise<boolean> {
  const message = renderInvitationEmail({
    orgName: ctx.org.name,
    inviterName: ctx.user.name ?? ctx.user.email,
    tierLabel: TIER_LABELS[invitation.tier],
    link: invitationLink(token),
    expiresAt: invitation.expiresAt,
  });
  try {
    await sendMail({ orgId: ctx.org.id, to: invitation.email, ...message });
    return true;
  } catch (error) {
    logger.error({ err: error, requestId: ctx.requestId, orgId: ctx.org.id }, 'invitation email failed');
    return false;
  }
}

/**
 * Invites up to 100 addresses with one tier and optional catalog roles. Malformed addresses or unknown roles reject
 * the submit; addresses that are already members or already hold a pending invitation are skipped, each with a
 * reason. Mail is sent after the transaction commits; a failed send is reported per address (resend fixes it).
 */
export async function inviteMembers(ctx: OrgContext, input: InviteMembersInput): Promise<{ results: InviteResult[] }> {
  const emails = parseAddresses(input.emails);
  if (!canAssignTier(ctx.actor, input.tier)) {
    throw new AppError('FORBIDDEN', `You cannot invite someone as ${TIER_LABELS[input.tier].toLowerCase()}.`);
  }
  const roleIds = [...new Set(input.roleIds)];
  const now = new Date();

  const { results, toSend } = await db.$transaction(async (tx) => {
    await lockOrg(tx, ctx.org.id);
    const roles = await tx.role.findMany({ where: { id: { in: roleIds }, builtIn: false }, select: { id: true, key: true } });
    if (roles.length !== roleIds.length) {
      throw new AppError('BAD_INPUT', 'Some of the chosen roles do not exist or cannot be given here. Nobody was invited.', {
        fieldErrors: { roleIds: ['Unknown role.'] },
      });
    }
    const members = await tx.membership.findMany({
      where: { orgId: ctx.org.id, user: { email: { in: emails, mode: 'insensitive' } } },
      select: { user: { select: { email: true } } },
    });
    const memberEmails = new Set(members.map((m) => m.user.email.toLowerCase()));
    const open = await tx.invitation.findMany({
      where: { orgId: ctx.org.id, email: { in: emails }, acceptedAt: null, revokedAt: null },
      select: { id: true, email: true, expiresAt: true },
    });
    const openByEmail = new Map(open.map((o) => [o.email, o]));

    const results: InviteResult[] = [];
    const toCreate: string[] = [];
    for (const email of emails) {
      const existing = openByEmail.get(email);
      if (memberEmails.has(email)) results.push({ email, status: 'skipped', message: 'Already a member of this organization.' });
      else if (existing && existing.expiresAt > now)
        results.push({ email, status: 'skipped', message: 'Already invited; resend the pending invitation instead.' });
      else toCreate.push(email);
    }
    await assertUnderRateLimit(tx, ctx.org.id, toCreate.length, now);
    await assertUnderPersonalLimit(tx, ctx.user.id, 'invitations', toCreate.length, now);

    const toSend: { email: string; tier: Tier; expiresAt: Date; token: string }[] = [];
    for (const email of toCreate) {
      const expired = openByEmail.get(email);
      // An expired invitation still holds the "one open invitation per address" slot; close it before reissuing.
      if (expired) await tx.invitation.update({ where: { id: expired.id }, data: { revokedAt: now } });
      const { token, tokenHash } = newInvitationToken();
      const expiresAt = expiryFrom(now, ctx.org.invitationTtlDays);
      const created = await tx.invitation.create({
        data: {
          orgId: ctx.org.id,
          email,
          tier: input.tier,
          tokenHash,
          expiresAt,
          invitedById: ctx.user.id,
          lastSentAt: now,
          roles: { create: roles.map((r) => ({ roleId: r.id, orgId: ctx.org.id })) },
        },
        select: { id: true },
      });
      await audit(tx, ctx, {
        orgId: ctx.org.id,
        action: 'invitation.created',
        target: { type: 'invitation', id: created.id },
        after: { email, tier: input.tier, roles: roles.map((r) => r.key), expiresAt: expiresAt.toISOString() },
      });
      toSend.push({ email, tier: input.tier, expiresAt, token });
    }
    return { results, toSend };
  });

  for (const item of toSend) {
    const emailSent = await sendInvitationEmail(ctx, item, item.token);
    results.push({
      email: item.email,
      status: 'invited',
      emailSent,
      ...(emailSent ? {} : { message: 'Invited, but the email could not be sent. Use Resend in the list.' }),
    });
  }
  const order = new Map(emails.map((e, i) => [e, i]));
  results.sort((a, b) => (order.get(a.email) ?? 0) - (order.get(b.email) ?? 0));
  return { results };
}

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads the invitation locked (FOR UPDATE), as acceptance does: a revoke or resend racing an acceptance waits for it
 * and then sees it accepted (CONFLICT), instead of writing revoked_at next to accepted_at and tripping the check
 * constraint that forbids both (INTERNAL).
 */
async function getManageableInvitationOrThrow(tx: Tx, ctx: OrgContext, invitationId: string) {
  if (!UUID_SHAPE.test(invitationId)) throw new AppError('NOT_FOUND', 'That invitation is not in this organization.');
  await tx.$queryRaw`SELECT id FROM invitations WHERE id = ${invitationId}::uuid AND org_id = ${ctx.org.id}::uuid FOR UPDATE`;
  const inv = await tx.invitation.findFirst({
    where: { id: invitationId, orgId: ctx.org.id },
    select: { id: true, email: true, tier: true, acceptedAt: true, revokedAt: true, expiresAt: true },
  });
  if (!inv) throw new AppError('NOT_FOUND', 'That invitation is not in this organization.');
  if (!canAssignTier(ctx.actor, inv.tier)) {
    throw new AppError('FORBIDDEN', `You cannot manage invitations for ${TIER_LABELS[inv.tier].toLowerCase()}s.`);
  }
  if (inv.acceptedAt) throw new AppError('CONFLICT', 'That invitation was already accepted.');
  if (inv.revokedAt) throw new AppError('CONFLICT', 'That invitation was revoked; invite the address again.');
  return inv;
}

/** Issues a fresh token (the old link stops working), restarts the expiry and sends the mail again. */
export async function resendInvitation(ctx: OrgContext, input: { invitationId: string }): Promise<{ emailSent: boolean; expiresAt: string }> {
  const now = new Date();
  const { token, inv, expiresAt } = await db.$transaction(async (tx) => {
    await lockOrg(tx, ctx.org.id);
    const inv = await getManageableInvitationOrThrow(tx, ctx, input.invitationId);
    await assertUnderRateLimit(tx, ctx.org.id, 1, now);
    await assertUnderPersonalLimit(tx, ctx.user.id, 'invitations', 1, now);
    const { token, tokenHash } = newInvitationToken();
    const expiresAt = expiryFrom(now, ctx.org.invitationTtlDays);
    await tx.invitation.update({
      where: { id: inv.id },
      data: { tokenHash, expiresAt, lastSentAt: now, sendCount: { increment: 1 } },
    });
    await audit(tx, ctx, {
      orgId: ctx.org.id,
      action: 'invitation.resent',
      target: { type: 'invitation', id: inv.id },
      after: { email: inv.email, expiresAt: expiresAt.toISOString() },
    });
    return { token, inv, expiresAt };
  });
  const emailSent = await sendInvitationEmail(ctx, { email: inv.email, tier: inv.tier, expiresAt }, token);
  return { emailSent, expiresAt: expiresAt.toISOString() };
}

/** Revokes an open invitation; its link stops working at once. */
export async function revokeInvitation(ctx: OrgContext, input: { invitationId: string }): Promise<{ revoked: true }> {
  return db.$transaction(async (tx) => {
    const inv = await getManageableInvitationOrThrow(tx, ctx, input.invitationId);
    await tx.invitation.update({ where: { id: inv.id }, data: { revokedAt: new Date() } });
    await audit(tx, ctx, {
      orgId: ctx.org.id,
      action: 'invitation.revoked',
      target: { type: 'invitation', id: inv.id },
      before: { email: inv.email, tier: inv.tier },
    });
    return { revoked: true as const };
  });
}
