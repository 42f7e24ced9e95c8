import { z } from 'zod';

/** "Sign out everywhere" takes nothing but the confirmation that it is meant. */
export const SignOutEverywhereInput = z.strictObject({ confirm: z.literal(true, { error: 'Confirm that you want to sign out everywhere.' }) });
export type SignOutEverywhereInput = z.infer<typeof SignOutEverywhereInput>;
