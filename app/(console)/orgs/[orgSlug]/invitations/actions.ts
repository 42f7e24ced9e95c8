'use server';

import { revalidatePath } from 'next/cache';
import { orgAction } from '@/lib/actions/define-action';
import * as invitations from '@/lib/data/invitations';
import { InvitationIdInput, InviteMembersInput } from '@/lib/schemas/members';

export const inviteMembers = orgAction('inviteMembers', { input: InviteMembersInput }, async ({ input, ctx }) => {
  const result = await invitations.inviteMembers(ctx, input);
  revalidatePath(`/orgs/${ctx.org.slug}`, 'layout');
  return result;
});

export const resendInvitation = orgAction('resendInvitation', { input: InvitationIdInput }, async ({ input, ctx }) => {
  const result = await invitations.resendInvitation(ctx, input);
  revalidatePath(`/orgs/${ctx.org.slug}/invitations`);
  return result;
});

export const revokeInvitation = orgAction('revokeInvitation', { input: InvitationIdInput }, async ({ input, ctx }) => {
  const result = await invitations.revokeInvitation(ctx, input);
  revalidatePath(`/orgs/${ctx.org.slug}`, 'layout');
  return result;
});
