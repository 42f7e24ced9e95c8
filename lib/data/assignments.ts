import 'server-only';
import { audit } from '@/lib/audit';
import type { PlatformContext } from '@/lib/authz/types';
import { db, type Tx } from '@/lib/db';
import { AppError, isForeignKeyViolation, isUniqueViolation } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client.ts';
import type { AssignmentSubject, CreateAssignmentInput } from '@/lib/schemas/assignments';
import { revokeOrgRole } from './grants';
import { lockOrg } from './orgs';
import { asc, keyset, type Page } from './pagination';

/**
 * Role assignments: a catalog role given to a user or an M2M client, globally or in one org, optionally expiring.
 * The platform reads and writes them subject by subject; members.ts, invitations and the matrix give org roles
 * through `upsertRoleAssignment`. Cross-tenant: the platform functions are behind requirePlatform.
 */

/** One role held by a user or client in one scope. */
export interface AssignmentDto {
  id: string;
  role: { id: string; key: string; name: string };
  /** null: global. */
  orgId: string | null;
  expiresAt: string | null;
  /** True once `expiresAt` has passed: the row stays (and can be renewed) but counts for nothing. */
  expired: boolean;
  createdAt: string;
  grantedBy: string | null;
}

const assignmentSelect = {
  id: true,
  orgId: true,
  expiresAt: true,
  createdAt: true,
  role: { select: { id: true, key: true, name: true } },
  grantedBy: { select: { email: true } },
} satisfies Prisma.RoleAssignmentSelect;

type AssignmentRow = Prisma.RoleAssignmentGetPayload<{ select: typeof assignmentSelect }>;

function toAssignmentDto(r: AssignmentRow, now: Date): AssignmentDto {
  return {
    id: r.id,
    role: r.role,
    orgId: r.orgId,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    expired: r.expiresAt !== null && r.expiresAt <= now,
    createdAt: r.createdAt.toISOString(),
    grantedBy: r.grantedBy?.email ?? null,
  };
}

/** Assignments unexpired at `now` (expired ones count for nothing, as in the decision). */
export function activeAt(now: Date): Prisma.RoleAssignmentWhereInput {
  return { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}

function subjectWhere(subject: AssignmentSubject): Prisma.RoleAssignmentWhereInput {
  return 'userId' in subject ? { userId: subject.userId } : { clientAppId: subject.clientAppId };
}

// ---------------------------------------------------------------------------------------------------------------
// The platform's view, subject by subject

export interface OrgAssignmentsGroupDto {
  org: { id: string; slug: string; name: string };
  assignments: AssignmentDto[];
}

export interface SubjectAssignmentsDto {
  /** Global roles (at most GLOBAL_LIMIT; a subject rarely holds more than a handful). */
  global: AssignmentDto[];
  /** One group per org the subject holds roles in, by org slug, cursor-paginated. */
  orgs: Page<OrgAssignmentsGroupDto>;
}

const GLOBAL_LIMIT = 200;
const PER_ORG_LIMIT = 200;
const bySlug = keyset(asc('slug', 'string'));

/**
 * A user's or client's role assignments org by org: the global ones, then a page of orgs (by slug) with the roles
 * held in each. Expired assignments are included and flagged, so they can be seen and revoked.
 */
export async function listSubjectAssignments(
  _ctx: PlatformContext,
  subject: AssignmentSubject,
  params: { cursor?: string; limit?: number } = {},
): Promise<SubjectAssignmentsDto> {
  const page = bySlug.query({ cursor: params.cursor, limit: params.limit ?? 20 });
  const now = new Date();
  const mine = subjectWhere(subject);
  const [global, orgRows] = await Promise.all([
    db.roleAssignment.findMany({
      where: { ...mine, orgId: null },
      orderBy: [{ role: { name: 'asc' } }, { id: 'asc' }],
      take: GLOBAL_LIMIT,
      select: assignmentSelect,
    }),
    db.org.findMany({
      where: { assignments: { some: mine }, ...page.where },
      orderBy: page.orderBy,
      take: page.take,
      select: {
        id: true,
        slug: true,
        name: true,
        assignments: { where: mine, orderBy: [{ role: { name: 'asc' } }, { id: 'asc' }], take: PER_ORG_LIMIT, select: assignmentSelect },
      },
    }),
  ]);
  const orgs = page.page(orgRows);
  return {
    global: global.map((r) => toAssignmentDto(r, now)),
    orgs: {
      nextCursor: orgs.nextCursor,
      items: orgs.items.map((o) => ({ org: { id: o.id, slug: o.slug, name: o.name }, assignments: o.assignments.map((r) => toAssignmentDto(r, now)) })),
    },
  };
}


// ---------------------------------------------------------------------------------------------------------------
// Giving roles (shared by members, invitations and the matrix)

/** Org-scoped roles a member can be given: the custom roles of the catalog (tiers are given by the membership). */
export async function listAssignableRoles(): Promise<{ id: string; key: string; name: string; description: string }[]> {
  return db.role.findMany({
    where: { builtIn: false },
    orderBy: { name: 'asc' },
    select: { id: true, key: true, name: true, description: true },
    take: 500,
  });
}

/** A custom role that can be given directly (built-in tier roles come with a membership), or BAD_INPUT on `roleId`. */
export async function getAssignableRoleOrThrow(client: Tx, roleId: string, verb: 'given' | 'granted' = 'given') {
  const role = await client.role.findFirst({ where: { id: roleId, builtIn: false }, select: { id: true, key: true, name: true } });
  if (!role) throw new AppError('BAD_INPUT', `That role does not exist or cannot be ${verb} here.`, { fieldErrors: { roleId: ['Unknown role.'] } });
  return role;
}

/**
 * Gives a user or an M2M client a role without expiry, in one org or globally (orgId null). One row per role,
 * subject and scope (a unique index): an expired row is renewed rather than duplicated. `changed` is false when the
 * subject already held it.
 */
export async function upsertRoleAssignment(
  tx: Tx,
  a: { roleId: string; orgId: string | null; grantedById: string | null } & ({ userId: string } | { clientAppId: string }),
): Promise<{ id: string; changed: boolean }> {
  const subject = 'userId' in a ? { userId: a.userId } : { clientAppId: a.clientAppId };
  const existing = await tx.roleAssignment.findFirst({
    where: { roleId: a.roleId, orgId: a.orgId, ...subject },
    select: { id: true, expiresAt: true },
  });
  if (existing && (existing.expiresAt === null || existing.expiresAt > new Date())) return { id: existing.id, changed: false };
  const row = existing
    ? await tx.roleAssignment.update({ where: { id: existing.id }, data: { expiresAt: null, grantedById: a.grantedById }, select: { id: true } })
    : await tx.roleAssignment.create({ data: { roleId: a.roleId, orgId: a.orgId, grantedById: a.grantedById, ...subject }, select: { id: true } });
  return { id: row.id, changed: true };
}

// ---------------------------------------------------------------------------------------------------------------
// The platform's mutations

function badInput(field: string, message: string): AppError {
  return new AppError('BAD_INPUT', message, { fieldErrors: { [field]: [message] } });
}

/** The subject as the audit log and messages name it; refuses unknown users and anything but M2M applications. */
async function resolveSubject(tx: Tx, subject: AssignmentSubject) {
  if ('userId' in subject) {
    const user = await tx.user.findUnique({ where: { id: subject.userId }, select: { id: true, email: true } });
    if (!user) throw badInput('subject', 'That user does not exist.');
    return { kind: 'user' as const, id: user.id, label: user.email, where: { userId: user.id }, audit: { type: 'user', id: user.id, email: user.email } };
  }
  const app = await tx.application.findUnique({ where: { id: subject.clientAppId }, select: { id: true, name: true, type: true, clientId: true } });
  if (!app) throw badInput('subject', 'That client does not exist.');
  if (app.type !== 'M2M') throw badInput('subject', `${app.name} is not an M2M application; only M2M clients hold roles.`);
  return {
    kind: 'client' as const,
    id: app.id,
    label: app.name,
    where: { clientAppId: app.id },
    audit: { type: 'client', id: app.id, clientId: app.clientId, name: app.name },
  };
}

/**
 * Gives a role to a user or an M2M client, globally or in one org, optionally until `expiresAt`, audited in the
 * same transaction. The role must be a catalog role (tier roles come with a membership), a user must belong to the
 * org, the expiry must lie ahead. One row per role, subject and scope: an expired row is renewed; an unexpired one
 * is a conflict (revoke it to change its expiry).
 */
export async function createAssignment(ctx: PlatformContext, input: CreateAssignmentInput): Promise<AssignmentDto> {
  try {
    return await db.$transaction(async (tx) => {
      const now = new Date();
      const role = await tx.role.findUnique({ where: { id: input.roleId }, select: { id: true, key: true, name: true, builtIn: true } });
      if (!role) throw badInput('roleId', 'That role does not exist.');
      if (role.builtIn) throw badInput('roleId', `${role.name} comes with a membership tier and cannot be given directly.`);
      const subject = await resolveSubject(tx, input.subject);
      const org = input.orgId
        ? await tx.org.findUnique({ where: { id: input.orgId }, select: { id: true, slug: true, name: true } })
        : null;
      if (input.orgId && !org) throw badInput('orgId', 'That organization does not exist.');
      // Every path that gives an org role takes the org lock first, so it never races a member's removal.
      if (org) await lockOrg(tx, org.id);
      if (org && subject.kind === 'user') {
        const member = await tx.membership.findUnique({ where: { orgId_userId: { orgId: org.id, userId: subject.id } }, select: { id: true } });
        if (!member) throw badInput('orgId', `${subject.label} is not a member of ${org.name}; roles in an org are for its members.`);
      }
      if (input.expiresAt !== null && input.expiresAt <= now) throw badInput('expiresAt', 'Choose a date in the future, or leave it empty.');

      const scope = { roleId: role.id, ...subject.where, orgId: org?.id ?? null };
      const existing = await tx.roleAssignment.findFirst({ where: scope, select: { id: true, expiresAt: true } });
      if (existing && (existing.expiresAt === null || existing.expiresAt > now)) {
        throw new AppError('CONFLICT', `${subject.label} already has ${role.name} ${org ? `in ${org.name}` : 'globally'}. Revoke it first to change it.`, {
          fieldErrors: { roleId: ['Already given in this scope.'] },
        });
      }
      const data = { expiresAt: input.expiresAt, grantedById: ctx.user.id };
      const row = existing
        ? await tx.roleAssignment.update({ where: { id: existing.id }, data: { ...data, createdAt: now }, select: assignmentSelect })
        : await tx.roleAssignment.create({ data: { ...scope, ...data }, select: assignmentSelect });
      await audit(tx, ctx, {
        orgId: org?.id ?? null,
        action: 'assignment.created',
        target: { type: 'assignment', id: row.id },
        after: {
          role: role.key,
          subject: subject.audit,
          org: org ? org.slug : null,
          expiresAt: input.expiresAt?.toISOString() ?? null,
          ...(existing ? { renewed: true } : {}),
        },
      });
      return toAssignmentDto(row, now);
    });
  } catch (error) {
    // Two operators giving the same role at the same moment: the unique index keeps one row.
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', 'That role was just given in this scope by someone else.');
    // The membership went away in between: role_assignments reference memberships (a composite foreign key).
    if (isForeignKeyViolation(error)) throw new AppError('CONFLICT', 'That person is not a member of this organization any more.');
    throw error;
  }
}

/** Revokes one role assignment (of a user or a client, in any scope), audited with what it was. */
export async function deleteAssignment(ctx: PlatformContext, input: { assignmentId: string }): Promise<{ assignmentId: string }> {
  return db.$transaction(async (tx) => {
    const row = await tx.roleAssignment.findUnique({
      where: { id: input.assignmentId },
      select: {
        id: true,
        orgId: true,
        expiresAt: true,
        role: { select: { key: true } },
        user: { select: { id: true, email: true } },
        clientApp: { select: { id: true, name: true, clientId: true } },
        org: { select: { slug: true } },
      },
    });
    if (!row) throw new AppError('NOT_FOUND', 'That role assignment does not exist (any more).');
    if (row.orgId && row.user) {
      // A member's org role: the one revocation path (org lock; platform actors bypass the tier rules).
      const { deleted } = await revokeOrgRole(tx, ctx, { orgId: row.orgId, userId: row.user.id, assignmentId: row.id });
      if (deleted === 0) throw new AppError('NOT_FOUND', 'That role assignment does not exist (any more).');
    } else {
      if (row.orgId) await lockOrg(tx, row.orgId);
      const { count } = await tx.roleAssignment.deleteMany({ where: { id: row.id } });
      if (count === 0) throw new AppError('NOT_FOUND', 'That role assignment does not exist (any more).');
    }
    await audit(tx, ctx, {
      orgId: row.orgId,
      action: 'assignment.deleted',
      target: { type: 'assignment', id: row.id },
      before: {
        role: row.role.key,
        subject: row.user
          ? { type: 'user', id: row.user.id, email: row.user.email }
          : { type: 'client', id: row.clientApp?.id ?? null, clientId: row.clientApp?.clientId ?? null, name: row.clientApp?.name ?? null },
        org: row.org?.slug ?? null,
        expiresAt: row.expiresAt?.toISOString() ?? null,
      },
    });
    return { assignmentId: row.id };
  });
}
