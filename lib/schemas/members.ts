import { z } from 'zod';
import { TIERS } from '@/lib/authz/permissions';
import { Email } from './email';
import { text } from './text';

export const MAX_INVITES_PER_SUBMIT = 100;

const Id = (what: string) => z.string({ error: `Choose a ${what}.` }).uuid(`That ${what} does not exist.`);
export const TierInput = z.enum(TIERS, { error: 'Choose owner, admin or employee.' });

/**
 * One address, normalised the way invitations store it (trimmed, lower case), with the same syntax the sign-in accepts
 * (RFC 5321/6531, lib/schemas/email.ts), so anyone who can sign in can be invited.
 */
export const EmailAddress = text({ max: 254 }).toLowerCase().pipe(Email);

/** Splits what people paste (commas, semicolons, spaces, new lines, "Name <a@b>") into addresses. */
export function splitEmails(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.replace(/^.*<([^>]*)>.*$/, '$1').replace(/^[<"']+|[>"']+$/g, ''))
    .filter((s) => s.length > 0);
}

export const InviteMembersInput = z.object({
  emails: z
    .array(text({ max: 320, maxMessage: 'Use at most 254 characters.' }), { error: 'Enter at least one email address.' })
    .min(1, 'Enter at least one email address.')
    .max(MAX_INVITES_PER_SUBMIT, `Invite at most ${MAX_INVITES_PER_SUBMIT} addresses at once.`),
  tier: TierInput,
  roleIds: z.array(Id('role')).max(50, 'Choose at most 50 roles.').default([]),
});
export type InviteMembersInput = z.infer<typeof InviteMembersInput>;

export const InvitationIdInput = z.object({ invitationId: Id('invitation') });
export const AcceptInvitationInput = z.object({
  token: text({ max: 43, exact: true, maxMessage: 'This invitation link is not valid.' }).regex(/^[A-Za-z0-9_-]{43}$/, 'This invitation link is not valid.'),
});

export const ChangeMemberTierInput = z.object({ membershipId: Id('member'), tier: TierInput });
export const MemberRoleInput = z.object({ membershipId: Id('member'), roleId: Id('role') });
export const MembershipIdInput = z.object({ membershipId: Id('member') });
export const LeaveOrgInput = z.object({ confirm: z.literal(true, { error: 'Confirm that you want to leave.' }) });
