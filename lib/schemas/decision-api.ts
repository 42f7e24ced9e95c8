import { z } from 'zod';
import type { AllowCode, DenyCode } from '@/lib/access/types';
import { TIERS } from '@/lib/vocabulary';
import { Email } from './email';
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
const Auth0OrganizationId = text({ min: 1, max: 50, exact: true })
  .nullish()
  .meta({
    description:
      'The Auth0 organization id (`org_…`, `event.organization.id`). Matched first against the organizations linked to ' +
      'an Auth0 organization; `organization` (the Auth0 organization name) is tried as a slug only when no organization ' +
      'has this link, and only against organizations not linked to another Auth0 organization.',
  });
const Permission = text({ min: 1, max: 100, exact: true }).meta({ description: 'A permission value, e.g. `read:config`.' });

// Requests

export const LoginUser = z
  .strictObject({
    sub: Sub,
    email: Email,
    email_verified: z.boolean().optional(),
    connection: text({ min: 1, max: 128, exact: true }).nullish().meta({ description: 'The Auth0 connection name.' }),
    name: nameText({ min: 0, max: 200 }).nullish().meta({ description: 'The display name; trimmed, bidi controls and zero-width characters removed.' }),
  })
  .meta({ id: 'LoginUser', description: "The user signing in, as Auth0's post-login event describes them." });

export const LOGIN_KINDS = ['sign_in', 'refresh'] as const;
export type LoginKind = (typeof LOGIN_KINDS)[number];

export const LoginDecisionInput = z
  .strictObject({
    user: LoginUser,
    clientId: ClientId.meta({ description: 'The Auth0 client id of the application being signed in to.' }),
    organization: OrgSlug,
    auth0OrganizationId: Auth0OrganizationId,
    audience: Audience.optional().meta({
      description:
        'The API the access token is for (`event.resource_server.identifier`): `permissions` and the permissions claim ' +
        'then list only its permissions. Absent: every permission of the effective roles.',
    }),
    kind: z.enum(LOGIN_KINDS).default('sign_in').meta({
      description:
        '`refresh` for a refresh-token exchange (`event.transaction.protocol` is `oauth2-refresh-token`): decided like a ' +
        'sign-in, recorded as a refresh (it does not count as a sign-in).',
    }),
  })
  .meta({ id: 'LoginDecisionInput' });
export type LoginDecisionInput = z.output<typeof LoginDecisionInput>;

export const ClientCredentialsDecisionInput = z
  .strictObject({
    clientId: ClientId.meta({ description: 'The Auth0 client id of the M2M client asking for a token.' }),
    audience: Audience,
    organization: OrgSlug,
    auth0OrganizationId: Auth0OrganizationId,
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

const DecidedOrganization = z
  .object({ slug: z.string(), name: z.string() })
  .nullable()
  .meta({ description: 'The Gatehouse organization the decision was made in (found by Auth0 organization id or by slug), or null.' });

export const ClientCredentialsDecision = CheckResult.extend({ organization: DecidedOrganization }).meta({ id: 'ClientCredentialsDecision' });
export type ClientCredentialsDecision = z.output<typeof ClientCredentialsDecision>;

export const LOGIN_CLAIMS = {
  roles: 'https://gatehouse.app/roles',
  permissions: 'https://gatehouse.app/permissions',
  org: 'https://gatehouse.app/org',
  orgs: 'https://gatehouse.app/orgs',
} as const;

/** The login decision's one reason that is not `decide`'s: an application Gatehouse does not know, let through. */
export const UNKNOWN_APPLICATION_ALLOWED = 'unknown_application_allowed';

export const LoginDecision = CheckResult.extend({
  reason: DecisionReason.extend({
    code: z.enum([...DECISION_REASON_CODES, UNKNOWN_APPLICATION_ALLOWED]).meta({
      description:
        '`unknown_application_allowed`: Gatehouse does not know the application and this deployment lets such sign-ins ' +
        'through (DECISIONS_UNKNOWN_APPLICATIONS=allow), without claims.',
    }),
  }),
  organization: z
    .object({ slug: z.string(), name: z.string(), tier: z.enum(TIERS).nullable() })
    .nullable()
    .meta({ description: "The organization asked about, with the user's tier there (null: not a member)." }),
  claims: z
    .object({
      [LOGIN_CLAIMS.roles]: z.array(z.string()).optional(),
      [LOGIN_CLAIMS.permissions]: z.array(z.string()).optional(),
      [LOGIN_CLAIMS.org]: z.string().nullable().optional(),
      [LOGIN_CLAIMS.orgs]: z.array(z.string()).optional(),
    })
    .meta({
      description:
        'Namespaced claims for the tokens: role keys and permission values of the active organization (and global ones; ' +
        "permissions only of `audience` when given, and meant for the access token only), the active organization slug when " +
        'the user is a member of it, and the slugs of all their organizations that are not suspended. All four are present, ' +
        'except for `unknown_application_allowed`, which carries none.',
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
  'METHOD_NOT_ALLOWED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type DecisionApiErrorCode = (typeof DECISION_API_ERROR_CODES)[number];

export const ApiErrorBody = z
  .object({
    error: z.object({
      code: z.enum(DECISION_API_ERROR_CODES),
      message: z.string(),
      fields: z
        .array(z.string())
        .optional()
        .meta({ description: 'BAD_INPUT only: the fields that were refused, as dotted paths (e.g. `user.email`).' }),
    }),
  })
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
  .meta({ id: 'Health', description: 'Liveness: ok (200) whenever the process can answer; the snapshot age is reported, not judged.' });
export type HealthResult = z.output<typeof HealthResult>;

export const ReadinessResult = z
  .object({
    status: z.enum(['ok', 'stale']),
    snapshotAgeMs: z.number().meta({ description: 'How long ago the in-memory snapshot was last confirmed current.' }),
    maxSnapshotAgeMs: z.number().meta({ description: 'The age beyond which this answers 503 stale (DECISIONS_MAX_SNAPSHOT_AGE_SECONDS).' }),
  })
  .meta({
    id: 'Readiness',
    description: 'ok (200) while the snapshot is younger than maxSnapshotAgeMs (answers keep coming from it while the database is down); stale (503) beyond.',
  });
export type ReadinessResult = z.output<typeof ReadinessResult>;

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
  ReadinessResult,
] as const;
