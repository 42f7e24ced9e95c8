import { z } from 'zod';
import { PLATFORM_ROLES } from '@/lib/authz/permissions';
import { Email } from './email';

/** Block or unblock one user (superadmins; lib/data/platform-users.ts setUserBlocked). */
export const SetUserBlockedInput = z.object({
  userId: z.string().uuid('Pick a user.'),
  blocked: z.boolean(),
});
export type SetUserBlockedInput = z.infer<typeof SetUserBlockedInput>;

/** Block or unblock, as the actions take it (the action says which). */
export const UserIdInput = z.object({ userId: z.string().uuid('Pick a user.') });

/**
 * Give someone a platform role (or NONE to revoke it), by user id or by the email they signed in with
 * (lib/data/staff.ts setPlatformRole).
 */
export const SetPlatformRoleInput = z
  .object({
    userId: z.string().uuid('Pick a user.').optional(),
    email: Email.optional(),
    role: z.enum(PLATFORM_ROLES, { error: 'Pick a platform role.' }),
  })
  .refine((v) => Boolean(v.userId) !== Boolean(v.email), { message: 'Enter the email of the person.', path: ['email'] });
export type SetPlatformRoleInput = z.infer<typeof SetPlatformRoleInput>;
