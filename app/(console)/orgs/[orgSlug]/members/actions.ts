'use server';

import { revalidatePath } from 'next/cache';
import { cookies } from 'next/headers';
import { FLASH_COOKIE, FLASH_MAX_AGE_SECONDS, FLASH_MAX_LENGTH } from '@/lib/flash';
import { orgAction } from '@/lib/actions/define-action';
import * as members from '@/lib/data/members';
import { ChangeMemberTierInput, LeaveOrgInput, MemberRoleInput, MembershipIdInput } from '@/lib/schemas/members';

export const changeMemberTier = orgAction('changeMemberTier', { input: ChangeMemberTierInput }, async ({ input, ctx }) => {
  const result = await members.changeMemberTier(ctx, input);
  revalidatePath(`/orgs/${ctx.org.slug}`, 'layout');
  return result;
});

export const grantMemberRole = orgAction('grantMemberRole', { input: MemberRoleInput }, async ({ input, ctx }) => {
  const result = await members.grantMemberRole(ctx, input);
  revalidatePath(`/orgs/${ctx.org.slug}/members`);
  return result;
});

export const revokeMemberRole = orgAction('revokeMemberRole', { input: MemberRoleInput }, async ({ input, ctx }) => {
  const result = await members.revokeMemberRole(ctx, input);
  revalidatePath(`/orgs/${ctx.org.slug}/members`);
  return result;
});

export const removeMember = orgAction('removeMember', { input: MembershipIdInput }, async ({ input, ctx }) => {
  const result = await members.removeMember(ctx, input);
  revalidatePath(`/orgs/${ctx.org.slug}`, 'layout');
  return result;
});

export const transferOwnership = orgAction('transferOwnership', { input: MembershipIdInput }, async ({ input, ctx }) => {
  const result = await members.transferOwnership(ctx, input);
  revalidatePath(`/orgs/${ctx.org.slug}`, 'layout');
  return result;
});

export const leaveOrg = orgAction('leaveOrg', { input: LeaveOrgInput }, async ({ ctx }) => {
  const result = await members.leaveOrg(ctx);
  // Whichever page they land on (another org, onboarding, or signed out when it was their last org) says so.
  // Next percent-encodes the value; FlashMessage decodes it.
  (await cookies()).set(FLASH_COOKIE, `You left ${ctx.org.name}.`.slice(0, FLASH_MAX_LENGTH), {
    path: '/',
    maxAge: FLASH_MAX_AGE_SECONDS,
    sameSite: 'lax',
    httpOnly: false,
  });
  revalidatePath('/', 'layout');
  return result;
});
