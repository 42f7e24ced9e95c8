import 'server-only';
import { emailDomainOf, matchRules, type RuleConditions } from '@/lib/access/rules';
import type { PlatformContext } from '@/lib/authz/types';
import type { Tier } from '@/lib/authz/permissions';
import { audit, recordAudit, userActor, type AuditActor } from '@/lib/audit';
import { db, type Tx } from '@/lib/db';
import { AppError } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client.ts';
import { ruleShapeErrors, type CreateRuleInput, type MoveRuleInput, type RuleRoleInput, type UpdateRuleInput } from '@/lib/schemas/rules';
import { asc, keyset, type Page } from './pagination';
import { isId, lockRow } from './recipes';

/**
 * Default-role rules (cross-tenant, platform only): ordered by a dense `position` (1, 2, 3, ...), they add people
 * who match their conditions to an org with a tier and give them roles. They run on a user's first sign-in
 * (`applyRulesOnFirstSignIn`, called by `recordSignIn`) and, on request, for existing users (`backfillRule`).
 * Which rules match is decided by the pure `matchRules` (lib/access/rules.ts); this file reads and writes.
 */

export interface RuleDto {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  connection: string | null;
  emailDomain: string | null;
  requireVerifiedEmail: boolean;
  org: { id: string; slug: string; name: string } | null;
  tier: Tier | null;
  roles: { id: string; key: string; name: string; global: boolean }[];
  stop: boolean;
  updatedAt: string;
}

const ruleSelect = {
  id: true,
  name: true,
  position: true,
  enabled: true,
  connection: true,
  emailDomain: true,
  requireVerifiedEmail: true,
  tier: true,
  stop: true,
  orgId: true,
  updatedAt: true,
  org: { select: { id: true, slug: true, name: true } },
  roles: { select: { global: true, role: { select: { id: true, key: true, name: true } } }, orderBy: { role: { name: 'asc' } } },
} satisfies Prisma.DefaultRoleRuleSelect;

type RuleRow = Prisma.DefaultRoleRuleGetPayload<{ select: typeof ruleSelect }>;

function toRuleDto(r: RuleRow): RuleDto {
  return {
    id: r.id,
    name: r.name,
    position: r.position,
    enabled: r.enabled,
    connection: r.connection,
    emailDomain: r.emailDomain,
    requireVerifiedEmail: r.requireVerifiedEmail,
    org: r.org,
    tier: r.tier,
    roles: r.roles.map((x) => ({ ...x.role, global: x.global })),
    stop: r.stop,
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** What the audit log keeps of a rule: readable, and enough to tell what changed. */
function auditView(r: RuleDto) {
  return {
    name: r.name,
    position: r.position,
    enabled: r.enabled,
    connection: r.connection,
    emailDomain: r.emailDomain,
    requireVerifiedEmail: r.requireVerifiedEmail,
    org: r.org?.slug ?? null,
    tier: r.tier,
    roles: r.roles.map((x) => ({ role: x.key, global: x.global })),
    stop: r.stop,
  };
}

const inOrder = keyset(asc('position', 'int'), asc('id', 'uuid'));

/** The rules in evaluation order, cursor-paginated. */
export async function listRules(_ctx: PlatformContext, params: { cursor?: string; limit?: number } = {}): Promise<Page<RuleDto>> {
  const page = inOrder.query(params);
  const rows = await db.defaultRoleRule.findMany({ where: page.where, orderBy: page.orderBy, take: page.take, select: ruleSelect });
  const { items, nextCursor } = page.page(rows);
  return { nextCursor, items: items.map(toRuleDto) };
}

/** How many rules there are (the last position, positions being dense). */
export async function countRules(_ctx: PlatformContext): Promise<number> {
  return db.defaultRoleRule.count();
}

/** One rule, or null (also for a malformed id). */
export async function getRule(_ctx: PlatformContext, ruleId: string): Promise<RuleDto | null> {
  if (!isId(ruleId)) return null;
  const row = await db.defaultRoleRule.findUnique({ where: { id: ruleId }, select: ruleSelect });
  return row ? toRuleDto(row) : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Editing

/**
 * Serializes every change to the rule order (create, delete, move). Sign-ins only read rules, and a share-row-
 * exclusive lock does not block readers; it blocks other writers until this transaction ends.
 */
async function lockRules(tx: Tx): Promise<void> {
  await tx.$executeRaw`LOCK TABLE default_role_rules IN SHARE ROW EXCLUSIVE MODE`;
}

/** Renumbers positions 1..n in their current order, closing any gap. */
async function compactPositions(tx: Tx): Promise<void> {
  await tx.$executeRaw`
    UPDATE default_role_rules r SET position = o.rn
    FROM (SELECT id, row_number() OVER (ORDER BY position, created_at, id)::int AS rn FROM default_role_rules) o
    WHERE r.id = o.id AND r.position <> o.rn`;
}

function badInput(fieldErrors: Record<string, string[]>): AppError {
  const first = Object.values(fieldErrors)[0]?.[0] ?? 'Some fields need attention.';
  return new AppError('BAD_INPUT', first, { fieldErrors });
}

/** Checks the complete rule (shape, org and roles exist) before it is written. */
async function assertValidRule(tx: Tx, rule: { orgId: string | null; tier: Tier | null; roles: readonly RuleRoleInput[] }): Promise<void> {
  const shape = ruleShapeErrors(rule);
  if (shape) throw badInput(shape);
  if (rule.orgId && !(await tx.org.findUnique({ where: { id: rule.orgId }, select: { id: true } }))) {
    throw badInput({ orgId: ['That organization does not exist.'] });
  }
  if (rule.roles.length > 0) {
    const found = await tx.role.findMany({ where: { id: { in: rule.roles.map((r) => r.roleId) } }, select: { id: true, name: true, builtIn: true } });
    if (found.length !== rule.roles.length) throw badInput({ roles: ['A chosen role does not exist.'] });
    const builtIn = found.find((r) => r.builtIn);
    if (builtIn) throw badInput({ roles: [`${builtIn.name} comes with a tier; choose the tier instead.`] });
  }
}

const RULE_GONE = 'That rule does not exist (any more).';

async function readRuleOrThrow(tx: Tx, ruleId: string): Promise<RuleDto> {
  const row = await tx.defaultRoleRule.findUnique({ where: { id: ruleId }, select: ruleSelect });
  if (!row) throw new AppError('NOT_FOUND', RULE_GONE);
  return toRuleDto(row);
}

/** Adds a rule at the end of the order, audited. */
export async function createRule(ctx: PlatformContext, input: CreateRuleInput): Promise<RuleDto> {
  return db.$transaction(async (tx) => {
    await assertValidRule(tx, input);
    await lockRules(tx);
    const last = await tx.defaultRoleRule.aggregate({ _max: { position: true } });
    const created = await tx.defaultRoleRule.create({
      data: {
        name: input.name,
        position: (last._max.position ?? 0) + 1,
        enabled: input.enabled,
        connection: input.connection,
        emailDomain: input.emailDomain,
        requireVerifiedEmail: input.requireVerifiedEmail,
        orgId: input.orgId,
        tier: input.tier,
        stop: input.stop,
        roles: { create: input.roles.map((r) => ({ roleId: r.roleId, global: r.global })) },
      },
      select: ruleSelect,
    });
    const rule = toRuleDto(created);
    await audit(tx, ctx, { orgId: rule.org?.id ?? null, action: 'rule.created', target: { type: 'rule', id: rule.id }, after: auditView(rule) });
    return rule;
  });
}

/** Changes any fields of a rule (the rest are kept); the merged rule is checked as a whole. Audited before/after. */
export async function updateRule(ctx: PlatformContext, input: UpdateRuleInput): Promise<RuleDto> {
  return db.$transaction(async (tx) => {
    await lockRow(tx, 'default_role_rules', input.ruleId);
    const before = await readRuleOrThrow(tx, input.ruleId);
    const merged = {
      orgId: input.orgId !== undefined ? input.orgId : (before.org?.id ?? null),
      tier: input.tier !== undefined ? input.tier : before.tier,
      roles: input.roles ?? before.roles.map((r) => ({ roleId: r.id, global: r.global })),
    };
    await assertValidRule(tx, merged);
    await tx.defaultRoleRule.update({
      where: { id: input.ruleId },
      data: {
        name: input.name,
        enabled: input.enabled,
        connection: input.connection,
        emailDomain: input.emailDomain,
        requireVerifiedEmail: input.requireVerifiedEmail,
        orgId: merged.orgId,
        tier: merged.tier,
        stop: input.stop,
      },
    });
    if (input.roles) {
      await tx.defaultRoleRuleRole.deleteMany({ where: { ruleId: input.ruleId } });
      await tx.defaultRoleRuleRole.createMany({ data: input.roles.map((r) => ({ ruleId: input.ruleId, roleId: r.roleId, global: r.global })) });
    }
    const after = await readRuleOrThrow(tx, input.ruleId);
    await audit(tx, ctx, {
      orgId: after.org?.id ?? before.org?.id ?? null,
      action: 'rule.updated',
      target: { type: 'rule', id: after.id },
      before: auditView(before),
      after: auditView(after),
    });
    return after;
  });
}

/** Deletes a rule and closes the gap in the order, audited. */
export async function deleteRule(ctx: PlatformContext, input: { ruleId: string }): Promise<{ ruleId: string }> {
  return db.$transaction(async (tx) => {
    await lockRules(tx);
    const before = await readRuleOrThrow(tx, input.ruleId);
    await tx.defaultRoleRule.delete({ where: { id: before.id } });
    await compactPositions(tx);
    await audit(tx, ctx, { orgId: before.org?.id ?? null, action: 'rule.deleted', target: { type: 'rule', id: before.id }, before: auditView(before) });
    return { ruleId: before.id };
  });
}

/** Swaps a rule with its neighbour above or below. Moving the first rule up (or the last down) changes nothing. */
export async function moveRule(ctx: PlatformContext, input: MoveRuleInput): Promise<{ ruleId: string; position: number; moved: boolean }> {
  return db.$transaction(async (tx) => {
    await lockRules(tx);
    await compactPositions(tx);
    const rule = await tx.defaultRoleRule.findUnique({ where: { id: input.ruleId }, select: { id: true, name: true, position: true, orgId: true } });
    if (!rule) throw new AppError('NOT_FOUND', RULE_GONE);
    const target = input.direction === 'up' ? rule.position - 1 : rule.position + 1;
    const neighbour = await tx.defaultRoleRule.findFirst({ where: { position: target }, select: { id: true, name: true } });
    if (!neighbour) return { ruleId: rule.id, position: rule.position, moved: false };
    await tx.defaultRoleRule.update({ where: { id: neighbour.id }, data: { position: rule.position } });
    await tx.defaultRoleRule.update({ where: { id: rule.id }, data: { position: target } });
    await audit(tx, ctx, {
      orgId: rule.orgId,
      action: 'rule.updated',
      target: { type: 'rule', id: rule.id },
      before: { name: rule.name, position: rule.position },
      after: { name: rule.name, position: target, swappedWith: neighbour.name },
    });
    return { ruleId: rule.id, position: target, moved: true };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Who a rule matches, in SQL

/** The users a rule's conditions select: connection =, email ILIKE '%@domain', email_verified. */
function conditionsWhere(c: RuleConditions): Prisma.UserWhereInput {
  return {
    ...(c.connection !== null ? { connection: c.connection } : {}),
    ...(c.emailDomain !== null ? { email: { endsWith: `@${c.emailDomain}`, mode: 'insensitive' } } : {}),
    ...(c.requireVerifiedEmail ? { emailVerified: true } : {}),
  };
}

export interface DryRunUserDto {
  id: string;
  email: string;
  name: string | null;
  connection: string | null;
  emailVerified: boolean;
}

export interface DryRunDto extends Page<DryRunUserDto> {
  /** How many existing users meet the conditions. */
  count: number;
  conditions: RuleConditions;
}

const byEmail = keyset(asc('email', 'string'), asc('id', 'uuid'));

/**
 * "Who would this match": the existing users who meet a saved rule's conditions (or draft conditions), counted and
 * listed by email, cursor-paginated. Only this rule's conditions count: earlier rules and their stop flags are not
 * taken into account, and neither is whether the rule is enabled.
 */
export async function dryRunRule(
  _ctx: PlatformContext,
  target: { ruleId: string } | { conditions: RuleConditions },
  params: { cursor?: string; limit?: number } = {},
): Promise<DryRunDto> {
  let conditions: RuleConditions;
  if ('ruleId' in target) {
    const rule = isId(target.ruleId)
      ? await db.defaultRoleRule.findUnique({ where: { id: target.ruleId }, select: { connection: true, emailDomain: true, requireVerifiedEmail: true } })
      : null;
    if (!rule) throw new AppError('NOT_FOUND', RULE_GONE);
    conditions = rule;
  } else {
    conditions = target.conditions;
  }
  const page = byEmail.query(params);
  const where = conditionsWhere(conditions);
  const [count, rows] = await Promise.all([
    db.user.count({ where }),
    db.user.findMany({
      where: { AND: [where, page.where] },
      orderBy: page.orderBy,
      take: page.take,
      select: { id: true, email: true, name: true, connection: true, emailVerified: true },
    }),
  ]);
  return { count, conditions, ...page.page(rows) };
}

// ---------------------------------------------------------------------------------------------------------------
// Applying a rule's effect

interface RuleEffect {
  id: string;
  name: string;
  orgId: string | null;
  tier: Tier | null;
  roles: { roleId: string; global: boolean }[];
}

const effectSelect = {
  id: true,
  name: true,
  position: true,
  enabled: true,
  stop: true,
  connection: true,
  emailDomain: true,
  requireVerifiedEmail: true,
  orgId: true,
  tier: true,
  roles: { select: { roleId: true, global: true } },
} satisfies Prisma.DefaultRoleRuleSelect;

export interface RuleEffectCounts {
  membershipsAdded: number;
  assignmentsCreated: number;
}

/**
 * Applies one rule's effect to a batch of users inside the caller's transaction, set-based: memberships that exist
 * are left as they are (whatever their tier); role assignments are inserted, an expired one renewed, an unexpired
 * one left alone. Each membership and assignment made is audited. Safe to run again: it then changes nothing.
 */
async function applyRuleEffect(
  tx: Tx,
  rule: RuleEffect,
  users: readonly { id: string; email: string }[],
  by: { actor: AuditActor; requestId: string | null; grantedById: string | null },
): Promise<RuleEffectCounts> {
  const emails = new Map(users.map((u) => [u.id, u.email]));
  const ids = [...emails.keys()];
  const counts: RuleEffectCounts = { membershipsAdded: 0, assignmentsCreated: 0 };
  if (ids.length === 0) return counts;
  const via = { via: 'rule', ruleId: rule.id, rule: rule.name };

  if (rule.orgId && rule.tier) {
    const added = await tx.$queryRaw<{ user_id: string }[]>`
      INSERT INTO memberships (id, org_id, user_id, tier, updated_at)
      SELECT gen_random_uuid(), ${rule.orgId}::uuid, u, ${rule.tier}::"Tier", now() FROM unnest(${ids}::uuid[]) AS u
      ON CONFLICT (org_id, user_id) DO NOTHING
      RETURNING user_id`;
    for (const m of added) {
      await recordAudit(tx, {
        actor: by.actor,
        orgId: rule.orgId,
        action: 'member.added',
        target: { type: 'user', id: m.user_id },
        after: { email: emails.get(m.user_id) ?? null, tier: rule.tier, ...via },
        requestId: by.requestId,
      });
    }
    counts.membershipsAdded += added.length;
  }

  for (const r of rule.roles) {
    const orgId = r.global ? null : rule.orgId;
    // An org-scoped role of a rule without an org cannot be saved; skip rather than give it globally.
    if (!r.global && !orgId) continue;
    const made = await tx.$queryRaw<{ id: string; user_id: string }[]>`
      INSERT INTO role_assignments (id, role_id, user_id, org_id, granted_by_id)
      SELECT gen_random_uuid(), ${r.roleId}::uuid, u, ${orgId}::uuid, ${by.grantedById}::uuid FROM unnest(${ids}::uuid[]) AS u
      ON CONFLICT (role_id, user_id, org_id) WHERE user_id IS NOT NULL
      DO UPDATE SET expires_at = NULL, granted_by_id = EXCLUDED.granted_by_id, created_at = now()
        WHERE role_assignments.expires_at IS NOT NULL AND role_assignments.expires_at <= now()
      RETURNING id, user_id`;
    for (const a of made) {
      await recordAudit(tx, {
        actor: by.actor,
        orgId,
        action: 'assignment.created',
        target: { type: 'assignment', id: a.id },
        after: { roleId: r.roleId, subject: { type: 'user', id: a.user_id, email: emails.get(a.user_id) ?? null }, orgId, ...via },
        requestId: by.requestId,
      });
    }
    counts.assignmentsCreated += made.length;
  }
  return counts;
}

/** A person at their first sign-in, as far as rules care. */
export interface FirstSignInUser {
  id: string;
  email: string;
  emailVerified: boolean;
  connection: string | null;
}

/**
 * Applies the matching enabled rules, in order and up to the first matching stop rule, to a user who has just been
 * created, inside the sign-in's transaction: memberships (with the rule's tier) where missing, and role assignments.
 * Audited as the rule's doing. Call it only for the first sign-in; later sign-ins never re-apply rules.
 */
export async function applyRulesOnFirstSignIn(
  tx: Tx,
  user: FirstSignInUser,
  opts: { requestId?: string | null } = {},
): Promise<RuleEffectCounts & { ruleIds: string[] }> {
  const domain = emailDomainOf(user.email);
  // Only rules that could match are read; matchRules decides (and applies order and stop).
  const candidates = await tx.defaultRoleRule.findMany({
    where: {
      enabled: true,
      AND: [
        { OR: [{ connection: null }, ...(user.connection !== null ? [{ connection: user.connection }] : [])] },
        { OR: [{ emailDomain: null }, ...(domain !== null ? [{ emailDomain: domain }] : [])] },
        user.emailVerified ? {} : { requireVerifiedEmail: false },
      ],
    },
    orderBy: [{ position: 'asc' }, { id: 'asc' }],
    select: effectSelect,
  });
  const matched = matchRules(candidates, user);
  const totals = { membershipsAdded: 0, assignmentsCreated: 0, ruleIds: [] as string[] };
  for (const rule of matched) {
    const counts = await applyRuleEffect(tx, rule, [{ id: user.id, email: user.email }], {
      actor: { type: 'system', label: `default-role rule “${rule.name}”` },
      requestId: opts.requestId ?? null,
      grantedById: null,
    });
    totals.membershipsAdded += counts.membershipsAdded;
    totals.assignmentsCreated += counts.assignmentsCreated;
    totals.ruleIds.push(rule.id);
  }
  return totals;
}

export interface BackfillResultDto extends RuleEffectCounts {
  ruleId: string;
  /** Existing users who met the conditions. */
  matched: number;
  batches: number;
}

export const BACKFILL_BATCH_SIZE = 500;

/**
 * Applies a rule's effect to the existing users who meet its conditions, in batches of users (one transaction per
 * batch, each change audited in it), then audits `rule.backfilled` with the counts. Idempotent: memberships that
 * exist are left as they are and role assignments are upserted, so a second run changes nothing.
 */
export async function backfillRule(
  ctx: PlatformContext,
  input: { ruleId: string },
  opts: { batchSize?: number } = {},
): Promise<BackfillResultDto> {
  const batchSize = Math.min(Math.max(opts.batchSize ?? BACKFILL_BATCH_SIZE, 1), 5000);
  const rule = await db.defaultRoleRule.findUnique({ where: { id: input.ruleId }, select: effectSelect });
  if (!rule) throw new AppError('NOT_FOUND', 'That rule does not exist (any more).');
  const where = conditionsWhere(rule);
  const result: BackfillResultDto = { ruleId: rule.id, matched: 0, membershipsAdded: 0, assignmentsCreated: 0, batches: 0 };
  // A rule without an effect changes nobody: count the matches and skip the batches.
  const hasEffect = Boolean(rule.orgId && rule.tier) || rule.roles.length > 0;
  if (!hasEffect) result.matched = await db.user.count({ where });
  let after: string | null = null;
  while (hasEffect) {
    const batch: { id: string; email: string }[] = await db.user.findMany({
      where: { AND: [where, after ? { id: { gt: after } } : {}] },
      orderBy: { id: 'asc' },
      take: batchSize,
      select: { id: true, email: true },
    });
    if (batch.length === 0) break;
    const counts = await db.$transaction(
      (tx) => applyRuleEffect(tx, rule, batch, { actor: userActor(ctx), requestId: ctx.requestId, grantedById: ctx.user.id }),
      { timeout: 60_000 },
    );
    result.matched += batch.length;
    result.membershipsAdded += counts.membershipsAdded;
    result.assignmentsCreated += counts.assignmentsCreated;
    result.batches += 1;
    after = batch[batch.length - 1]!.id;
    if (batch.length < batchSize) break;
  }
  await db.$transaction((tx) =>
    recordAudit(tx, {
      actor: userActor(ctx),
      orgId: rule.orgId,
      action: 'rule.backfilled',
      target: { type: 'rule', id: rule.id },
      after: {
        name: rule.name,
        matched: result.matched,
        membershipsAdded: result.membershipsAdded,
        assignmentsCreated: result.assignmentsCreated,
        batches: result.batches,
      },
      requestId: ctx.requestId,
    }),
  );
  return result;
}
