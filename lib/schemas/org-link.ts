import { z } from 'zod';
import { text } from './text';

/**
 * The link between a Gatehouse org and its Auth0 organization, by the Auth0 organization's id.
 *
 * Auth0 organization ids are `org_` followed by letters and digits (16 in the ids Auth0 issues, e.g.
 * `org_W30bMi7kV4l7V3Yt`); the Management API's Organization schema caps `id` at 50 characters
 * (https://auth0.com/docs/api/management/v2/organizations/get-organizations-by-id). The database checks the same
 * pattern (migration 20261202050000_auth0_org_link).
 */
export const AUTH0_ORG_ID_PATTERN = /^org_[A-Za-z0-9]{1,46}$/;

export const Auth0OrgId = text({ max: 50 }).regex(AUTH0_ORG_ID_PATTERN, 'Use the Auth0 organization’s id: org_ followed by letters and digits, e.g. org_W30bMi7kV4l7V3Yt.');

/** Links an org to an Auth0 organization, or unlinks it (`auth0OrgId` empty or absent). */
export const SetOrgAuth0LinkInput = z.object({
  orgId: z.string({ error: 'Choose an organization.' }).uuid('That organization does not exist.'),
  auth0OrgId: text({ max: 100 })
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? null : v.trim()))
    .pipe(Auth0OrgId.nullable()),
});
export type SetOrgAuth0LinkInput = z.output<typeof SetOrgAuth0LinkInput>;
