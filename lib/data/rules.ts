import 'server-only';
import type { RuleConditions } from '@/lib/access/rules';
import type { PlatformContext } from '@/lib/authz/types';
import type { Tier } from '@/lib/authz/permissions';
import { audit, userActor } from '@/lib/audit';
import { db, type Tx } from '@/lib/db';
import { AppError } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client.ts';
import { backfillRule as runBackfill, type BackfillResult } from '@/lib/provisioning/backfill';
import { usersMatchingWhere } from '@/lib/provisioning/rule-conditions';
import { ruleShapeErrors, type CreateRuleInput, type MoveRuleInput, type RuleRoleInput, type UpdateRuleInput } from '@/lib/schemas/rules';
import { asc, keyset, type Page } from './pagination';
import { isId, lockRow } from './recipes';

/**
 * Default-role rules (cross-tenant, platform only): ordered by a dense `position` (1, 2, 3, ...), they add people
 * who match their conditions to an org with a tier and give them roles. This file lists and edits them, and runs a
 * dry run or a backfill for the console; what a matching rule does, at a first sign-in or in a backfill, is
 * lib/provisioning's (shared with the decision API), and which rules match is the pure `matchRules` (lib/access/rules.ts).
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
// Who a rule matches, in SQL (the condition builder lives with the provisioning that applies rules)

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
  const where = usersMatchingWhere(conditions);
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
// Applying a rule's effect to existing users (lib/provisioning/backfill.ts does the work)

export type BackfillResultDto = BackfillResult;

/**
 * Applies a rule's effect to the existing users who meet its conditions, as the signed-in operator, in batches (one
 * transaction per batch, each change audited), then audits `rule.backfilled`. Idempotent: a second run changes nothing.
 */
export async function backfillRule(
  ctx: PlatformContext,
  input: { ruleId: string },
  opts: { batchSize?: number } = {},
): Promise<BackfillResultDto> {
  return runBackfill(db, input.ruleId, { actor: userActor(ctx), requestId: ctx.requestId, grantedById: ctx.user.id }, opts);
}
