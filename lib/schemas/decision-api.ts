import { z } from 'zod';
import type { AllowCode, DenyCode } from '@/lib/access/types';
import { nameText, text } from './text';

/**
 * The decision API's contract (`/api/v1`, served by lib/decision-api): the request schemas validate every body,
 * and the same schemas, with the response schemas, make the OpenAPI document (lib/decision-api/openapi.ts). Node
 * clients and the Auth0 Actions are built against these shapes.
 *
 * Requests are strict: an unknown field is a 400, so a typo never silently changes a decision. Identifiers are only
 * length-checked here; an unknown one is a 404 from the handler, not a format error.
 */

export const MAX_BATCH_ITEMS = 1000;

const Sub = text({ min: 1, max: 255, exact: true }).meta({ description: 'The Auth0 user id (`sub`), e.g. `auth0|64f1c2…`.' });
const ClientId = text({ min: 1, max: 128, exact: true }).meta({ description: 'An Auth0 client id, as registered in Gatehouse.' });
const OrgSlug = text({ min: 1, max: 100, exact: true })
  .nullish()
  .meta({ description: 'A Gatehouse organization slug. Absent or null: no organization (global roles only).' });
const Audience = text({ min: 1, max: 200, exact: true }).meta({ description: 'An API identifier (the Auth0 audience).' });
const Permission = text({ min: 1, max: 100, exact: true }).meta({ description: 'A permission value, e.g. `read:config`.' });

// Requests

export const LoginUser = z
  .strictObject({
    sub: Sub,
    email: z.email().max(320),
    email_verified: z.boolean().optional(),
    connection: text({ min: 1, max: 128, exact: true }).nullish().meta({ description: 'The Auth0 connection name.' }),
    name: nameText({ min: 0, max: 200 }).nullish().meta({ description: 'The display name; trimmed, bidi controls and zero-width characters removed.' }),
  })
  .meta({ id: 'LoginUser', description: "The user signing in, as Auth0's post-login event describes them." });

export const LoginDecisionInput = z
  .strictObject({
    user: LoginUser,
    clientId: ClientId.meta({ description: 'The Auth0 client id of the application being signed in to.' }),
    organization: OrgSlug,
  })
  .meta({ id: 'LoginDecisionInput' });
export type LoginDecisionInput = z.output<typeof LoginDecisionInput>;

export const ClientCredentialsDecisionInput = z
  .strictObject({
    clientId: ClientId.meta({ description: 'The Auth0 client id of the M2M client asking for a token.' }),
    audience: Audience,
    organization: OrgSlug,
  })
  .meta({ id: 'ClientCredentialsDecisionInput' });
export type ClientCredentialsDecisionInput = z.output<typeof ClientCredentialsDecisionInput>;

export const CheckSubject = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('user'), sub: Sub }),
    z.strictObject({ type: z.literal('client'), clientId: ClientId }),
  ])
  .meta({ id: 'CheckSubject', description: 'A user (by Auth0 `sub`) or an M2M client (by Auth0 client id).' });

export const CheckTarget = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('application'), clientId: ClientId }),
    z.strictObject({ type: z.literal('permission'), audience: Audience, permission: Permission }),
  ])
  .meta({ id: 'CheckTarget', description: 'What to check. Absent: membership only (with an organization) or global roles.' });

export const CheckInput = z
  .strictObject({
    subject: CheckSubject,
    organization: OrgSlug,
    target: CheckTarget.optional(),
    audience: Audience.optional().meta({ description: "Only list this API's permissions. Does not change `allow`." }),
  })
  .meta({ id: 'CheckInput' });
export type CheckInput = z.output<typeof CheckInput>;

export const CheckBatchInput = z
  .strictObject({ items: z.array(CheckInput).min(1).max(MAX_BATCH_ITEMS) })
  .meta({ id: 'CheckBatchInput', description: `1 to ${MAX_BATCH_ITEMS} checks, answered in order. More items: 413.` });
export type CheckBatchInput = z.output<typeof CheckBatchInput>;

// Responses

/** Every reason code `decide` gives (lib/access/types.ts); the type check below fails when one is missing. */
export const DECISION_REASON_CODES = [
  'member',
  'no_org',
  'open_application',
  'granted_by_role',
  'user_blocked',
  'org_suspended',
  'not_a_member',
  'no_roles_mapped',
  'missing_role',
  'missing_roles',
  'missing_permission',
] as const satisfies readonly (AllowCode | DenyCode)[];
type MissingReasonCode = Exclude<AllowCode | DenyCode, (typeof DECISION_REASON_CODES)[number]>;
const everyReasonCodeListed: [MissingReasonCode] extends [never] ? true : MissingReasonCode = true;
void everyReasonCodeListed;

export const DecisionReason = z
  .object({
    code: z.enum(DECISION_REASON_CODES),
    message: z.string().meta({ description: 'One sentence for people.' }),
    via: z.array(z.string()).optional().meta({ description: 'Role keys that allowed it.' }),
    missing: z.array(z.string()).optional().meta({ description: 'Role keys that are missing.' }),
  })
  .meta({ id: 'DecisionReason', description: 'Why the answer is what it is. A deny is a normal answer, not an error.' });

export const PermissionGrant = z
  .object({ audience: z.string(), value: z.string() })
  .meta({ id: 'PermissionGrant', description: 'A permission of an API (audience).' });

export const CheckResult = z
  .object({
    allow: z.boolean(),
    reason: DecisionReason,
    roles: z.array(z.string()).meta({ description: 'Keys of the effective roles, sorted.' }),
    permissions: z.array(PermissionGrant).meta({ description: "The effective roles' permissions (only `audience`'s when given)." }),
  })
  .meta({ id: 'CheckResult' });
export type CheckResult = z.output<typeof CheckResult>;

export const ClientCredentialsDecision = CheckResult.meta({ id: 'ClientCredentialsDecision' });
export type ClientCredentialsDecision = z.output<typeof ClientCredentialsDecision>;

export const LOGIN_CLAIMS = {
  roles: 'https://gatehouse.app/roles',
  permissions: 'https://gatehouse.app/permissions',
  org: 'https://gatehouse.app/org',
  orgs: 'https://gatehouse.app/orgs',
} as const;

export const LoginDecision = CheckResult.extend({
  organization: z
    .object({ slug: z.string(), name: z.string(), tier: z.enum(['OWNER', 'ADMIN', 'EMPLOYEE']).nullable() })
    .nullable()
    .meta({ description: "The organization asked about, with the user's tier there (null: not a member)." }),
  claims: z
    .object({
      [LOGIN_CLAIMS.roles]: z.array(z.string()),
      [LOGIN_CLAIMS.permissions]: z.array(z.string()),
      [LOGIN_CLAIMS.org]: z.string().nullable(),
      [LOGIN_CLAIMS.orgs]: z.array(z.string()),
    })
    .meta({
      description:
        'Namespaced claims for the tokens: role keys and permission values of the active organization (and global ones), ' +
        'the active organization slug when the user is a member of it, and the slugs of all their organizations that are not suspended.',
    }),
}).meta({ id: 'LoginDecision' });
export type LoginDecision = z.output<typeof LoginDecision>;

export const DECISION_API_ERROR_CODES = [
  'BAD_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type DecisionApiErrorCode = (typeof DECISION_API_ERROR_CODES)[number];

export const ApiErrorBody = z
  .object({ error: z.object({ code: z.enum(DECISION_API_ERROR_CODES), message: z.string() }) })
  .meta({ id: 'ApiError' });
export type ApiErrorBody = z.output<typeof ApiErrorBody>;

export const CheckBatchResult = z
  .object({
    results: z
      .array(z.union([CheckResult, ApiErrorBody]))
      .meta({ description: 'One per item, in order: the answer, or the error for that item (e.g. NOT_FOUND).' }),
  })
  .meta({ id: 'CheckBatchResult' });
export type CheckBatchResult = z.output<typeof CheckBatchResult>;

export const HealthResult = z
  .object({
    status: z.enum(['ok', 'stale']),
    snapshotAgeMs: z.number().meta({ description: 'How long ago the in-memory snapshot was last confirmed current.' }),
  })
  .meta({ id: 'Health', description: 'ok (200) while the snapshot is current; stale (503) when it could not be refreshed for a while.' });
export type HealthResult = z.output<typeof HealthResult>;

/** The schemas the OpenAPI document lists under components (requests as input, responses as output). */
export const DECISION_API_REQUEST_SCHEMAS = [
  LoginUser,
  LoginDecisionInput,
  ClientCredentialsDecisionInput,
  CheckSubject,
  CheckTarget,
  CheckInput,
  CheckBatchInput,
] as const;
export const DECISION_API_RESPONSE_SCHEMAS = [
  DecisionReason,
  PermissionGrant,
  CheckResult,
  ClientCredentialsDecision,
  LoginDecision,
  ApiErrorBody,
  CheckBatchResult,
  HealthResult,
] as const;
