'use server';

import { userAction } from '@/lib/actions/define-action';
import { acceptInvitation } from '@/lib/data/invitation-acceptance';
import { AcceptInvitationInput } from '@/lib/schemas/members';

/** Accepting is a POST from the page, never a side effect of opening the link (mail scanners open links). */
export const acceptInvitationAction = userAction({ input: AcceptInvitationInput, name: 'invitation.accept' }, async ({ input, ctx }) => {
  return acceptInvitation(ctx, input.token);
});
