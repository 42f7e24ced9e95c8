import { z } from 'zod';
import { TIERS, type Tier } from '@/lib/authz/permissions';
import type { FieldErrors } from '@/lib/errors';
import { nameText, text } from './text';

/**
 * Default-role rules. Conditions: connection (exact), email domain (exact, lower case, without @), verified email.
 * Effect: join an org with a tier (both or neither) and roles, each global or in the rule's org (which then needs an
 * org). Shared by the forms, the server actions and the data layer (which checks the merged rule again).
 */

export const MAX_RULE_ROLES = 20;

const Id = (what: string) => z.string({ error: `Choose ${what}.` }).uuid(`That ${what.replace(/^(a|an) /, '')} does not exist.`);
const emptyToNull = (v: unknown) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? null : v);

export const RuleName = nameText({ max: 100, minMessage: 'Enter a name.', typeMessage: 'Enter a name.' });

/** Auth0 connection names: letters, digits and hyphens, starting and ending with a letter or digit. */
export const RuleConnection = z.preprocess(
  emptyToNull,
  text({ max: 128 })
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/, 'Use the connection name as Auth0 shows it: letters, digits and hyphens.')
    .nullable(),
);

const DOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** An email domain, stored lower case without the @ (a leading @ is dropped). */
export const RuleEmailDomain = z.preprocess(
  (v) => {
    const value = emptyToNull(v);
    return typeof value === 'string' ? value.trim().toLowerCase().replace(/^@/, '') : value;
  },
  text({ max: 253, maxMessage: 'Enter just the domain, like corp.example.com (without @).' })
    .regex(DOMAIN, 'Enter just the domain, like corp.example.com (without @).')
    .nullable(),
);

export const RuleTier = z.enum(TIERS, { error: 'Choose owner, admin or employee.' });

export const RuleRoleInput = z.object({
  roleId: Id('a role'),
  /** true: a global assignment; false: scoped to the rule's org. */
  global: z.boolean({ error: 'Choose where the role applies.' }),
});
export type RuleRoleInput = z.infer<typeof RuleRoleInput>;

/** The shape checks every complete rule must pass; also run by the data layer on the merged rule of an update. */
export function ruleShapeErrors(rule: { orgId: string | null; tier: Tier | null; roles: readonly RuleRoleInput[] }): FieldErrors | null {
  const errors: FieldErrors = {};
  if (rule.orgId !== null && rule.tier === null) errors.tier = ['Choose the tier they join the organization with.'];
  if (rule.orgId === null && rule.tier !== null) errors.orgId = ['Choose the organization they join with this tier.'];
  if (rule.roles.some((r) => !r.global) && rule.orgId === null) {
    errors.roles = ['A role in the rule’s organization needs an organization: choose one, or make the role global.'];
  }
  const ids = rule.roles.map((r) => r.roleId);
  if (new Set(ids).size !== ids.length) (errors.roles ??= []).push('List each role once.');
  if (rule.roles.length > MAX_RULE_ROLES) (errors.roles ??= []).push(`Give at most ${MAX_RULE_ROLES} roles.`);
  return Object.keys(errors).length > 0 ? errors : null;
}

const fields = {
  name: RuleName,
  enabled: z.boolean(),
  connection: RuleConnection,
  emailDomain: RuleEmailDomain,
  requireVerifiedEmail: z.boolean(),
  orgId: z.preprocess(emptyToNull, Id('an organization').nullable()),
  tier: z.preprocess(emptyToNull, RuleTier.nullable()),
  roles: z.array(RuleRoleInput).max(MAX_RULE_ROLES, `Give at most ${MAX_RULE_ROLES} roles.`),
  stop: z.boolean(),
};

function refineShape(rule: { orgId?: string | null; tier?: Tier | null; roles?: RuleRoleInput[] }, ctx: z.RefinementCtx) {
  // Only what the input holds is checked here; an update is checked again once merged with the stored rule.
  if (rule.orgId === undefined && rule.tier === undefined && rule.roles === undefined) return;
  const errors = ruleShapeErrors({ orgId: rule.orgId ?? null, tier: rule.tier ?? null, roles: rule.roles ?? [] });
  for (const [path, messages] of Object.entries(errors ?? {})) {
    if (rule.orgId === undefined && path === 'orgId') continue;
    if (rule.tier === undefined && path === 'tier') continue;
    for (const message of messages) ctx.addIssue({ code: 'custom', path: [path], message });
  }
}

export const CreateRuleInput = z
  .object({
    ...fields,
    // New rules start disabled (ADR 0013): the operator checks the dry run, then enables (and may backfill).
    enabled: fields.enabled.default(false),
    connection: fields.connection.default(null),
    emailDomain: fields.emailDomain.default(null),
    requireVerifiedEmail: fields.requireVerifiedEmail.default(false),
    orgId: fields.orgId.default(null),
    tier: fields.tier.default(null),
    roles: fields.roles.default([]),
    stop: fields.stop.default(false),
  })
  .superRefine(refineShape);
export type CreateRuleInput = z.infer<typeof CreateRuleInput>;

/** An update names the rule and any fields to change (the enable toggle sends just `enabled`). */
export const UpdateRuleInput = z
  .object({
    ruleId: Id('a rule'),
    name: fields.name.optional(),
    enabled: fields.enabled.optional(),
    connection: fields.connection.optional(),
    emailDomain: fields.emailDomain.optional(),
    requireVerifiedEmail: fields.requireVerifiedEmail.optional(),
    orgId: fields.orgId.optional(),
    tier: fields.tier.optional(),
    roles: fields.roles.optional(),
    stop: fields.stop.optional(),
  })
  .superRefine((rule, ctx) => {
    // Both only when the key is present: a missing key keeps the stored value.
    refineShape(rule, ctx);
  });
export type UpdateRuleInput = z.infer<typeof UpdateRuleInput>;

export const RuleIdInput = z.object({ ruleId: Id('a rule') });
export type RuleIdInput = z.infer<typeof RuleIdInput>;

export const MoveRuleInput = z.object({ ruleId: Id('a rule'), direction: z.enum(['up', 'down'], { error: 'Move up or down.' }) });
export type MoveRuleInput = z.infer<typeof MoveRuleInput>;

/** Conditions alone, for a dry run of a rule that is not saved yet. */
export const RuleConditionsInput = z.object({
  connection: fields.connection.default(null),
  emailDomain: fields.emailDomain.default(null),
  requireVerifiedEmail: fields.requireVerifiedEmail.default(false),
});
export type RuleConditionsInput = z.infer<typeof RuleConditionsInput>;

/** The rule form's live preview sends every condition as it stands (no defaults: an empty call is refused). */
export const RulePreviewInput = z.object({
  connection: fields.connection,
  emailDomain: fields.emailDomain,
  requireVerifiedEmail: fields.requireVerifiedEmail,
});
export type RulePreviewInput = z.infer<typeof RulePreviewInput>;
