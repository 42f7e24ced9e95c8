import { z } from 'zod';
import { nameText, text } from './text';

/** Reserved so org URLs never collide with console routes or confuse people. */
const RESERVED_SLUGS = new Set(['new', 'admin', 'api', 'auth', 'platform', 'onboarding', 'invite', 'settings', 'orgs', 'www', 'gatehouse']);

export const OrgSlug = text({ min: 3, max: 48 })
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])$/, 'Use lowercase letters, digits and single hyphens, not at the start or end.')
  .refine((s) => !s.includes('--'), 'Use single hyphens only.')
  .refine((s) => !RESERVED_SLUGS.has(s), 'This address is reserved; pick another.');

export const OrgName = nameText({ max: 100, minMessage: 'Enter a name.' });

export const CreateOrgInput = z.object({ name: OrgName, slug: OrgSlug });
export type CreateOrgInput = z.infer<typeof CreateOrgInput>;

export const UpdateOrgSettingsInput = z.object({
  name: OrgName,
  invitationTtlDays: z.coerce
    .number({ error: 'Enter a number of days.' })
    .int('Use whole days.')
    .min(1, 'At least 1 day.')
    .max(30, 'At most 30 days.'),
});
export type UpdateOrgSettingsInput = z.infer<typeof UpdateOrgSettingsInput>;

/** Suggests a slug from an org name ("Acme Corp." -> "acme-corp"). */
export function slugify(name: string): string {
  return name
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/g, '');
}
