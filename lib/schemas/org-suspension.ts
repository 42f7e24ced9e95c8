import { z } from 'zod';
import { text } from './text';

/**
 * Suspending or reinstating an org (superadmin, `orgs:suspend`): the reason is recorded in the audit event, and the
 * person types the org's slug to confirm, checked again on the server against the org's real slug.
 */
export const SetOrgSuspendedInput = z.object({
  orgId: z.string({ error: 'Choose an organization.' }).uuid('That organization does not exist.'),
  reason: text({ min: 1, max: 500, multiline: true, typeMessage: 'Say why.' }),
  confirmSlug: text({ max: 100, typeMessage: 'Type the organization’s slug to confirm.' }),
});
export type SetOrgSuspendedInput = z.output<typeof SetOrgSuspendedInput>;
