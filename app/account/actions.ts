'use server';

import { userAction } from '@/lib/actions/define-action';
import { signOutEverywhere as endAllSessions } from '@/lib/data/sessions';
import { SignOutEverywhereInput } from '@/lib/schemas/sessions';

/** Ends every session of the signed-in user, this one included; the browser then signs out at the provider. */
export const signOutEverywhere = userAction({ input: SignOutEverywhereInput, name: 'session.sign_out_everywhere' }, async ({ ctx }) =>
  endAllSessions(ctx),
);
