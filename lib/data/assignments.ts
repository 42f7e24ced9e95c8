import 'server-only';
import { z } from 'zod';
import type { OrgContext, PlatformContext } from '@/lib/authz/types';
import { recordAudit, userActor } from '@/lib/audit';
import { db, type Tx } from '@/lib/db';
import { AppError, isUniqueViolation } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client.ts';
import type { AssignmentSubject, CreateAssignmentInput } from '@/lib/schemas/assignments';
import { decodeCursor, pageSize, toPage, type Page } from './pagination';

export interface OrgAssignmentDto {
  id: string;
  subject: string;
  subjectKind: 'user' | 'client';
  role: string;
  expiresAt: string | null;
  createdAt: string;
}

const Cursor = z.object({ createdAt: z.string().datetime(), id: z.string().uuid() });

/** Role assignments scoped to the caller's org, to users or to M2M clients, newest first. */
export async function listOrgAssignments(
  ctx: OrgContext,
  params: { kind: 'user' | 'client'; cursor?: string; limit?: number },
): Promise<Page<OrgAssignmentDto>> {
  const limit = pageSize(params.limit);
  const cursor = decodeCursor(Cursor, params.cursor);
  const rows = await db.roleAssignment.findMany({
    where: {
      orgId: ctx.org.id,
      ...(params.kind === 'user' ? { userId: { not: null } } : { clientAppId: { not: null } }),
      ...(cursor
        ? { OR: [{ createdAt: { lt: new Date(cursor.createdAt) } }, { createdAt: new Date(cursor.createdAt), id: { lt: cursor.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    select: {
      id: true,
      expiresAt: true,
      createdAt: true,
      role: { select: { name: true } },
      user: { select: { email: true } },
      clientApp: { select: { name: true, clientId: true } },
    },
  });
  const page = toPage(rows, limit, (last) => ({ createdAt: last.createdAt.toISOString(), id: last.id }));
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((r) => ({
      id: r.id,
      subject: r.user?.email ?? (r.clientApp ? `${r.clientApp.name} (${r.clientApp.clientId})` : 'unknown'),
      subjectKind: r.user ? 'user' : 'client',
      role: r.role.name,
      expiresAt: r.expiresAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Shared shapes

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

/** Unexpired at `now`. */
function active(now: Date): Prisma.RoleAssignmentWhereInput {
  return { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}

function subjectWhere(subject: AssignmentSubject): Prisma.RoleAssignmentWhereInput {
  return 'userId' in subject ? { userId: subject.userId } : { clientAppId: subject.clientAppId };
}

const NameCursor = z.object({ name: z.string(), id: z.string().uuid() });

// ---------------------------------------------------------------------------------------------------------------
// The org's view: M2M clients acting in the caller's org (read-only)

export interface OrgClientDto {
  id: string;
  name: string;
  clientId: string;
  roles: { assignmentId: string; key: string; name: string; expiresAt: string | null }[];
}

/**
 * M2M clients acting in the caller's org, by name: `scope: 'org'` lists those with an unexpired role scoped to this
 * org (with those roles); `scope: 'global'` those with an unexpired global role, which acts in every org (with those
 * roles). Expired assignments count for nothing, as in the decision.
 */
export async function listOrgClients(
  ctx: OrgContext,
  params: { scope: 'org' | 'global'; cursor?: string; limit?: number },
): Promise<Page<OrgClientDto>> {
  const limit = pageSize(params.limit);
  const cursor = decodeCursor(NameCursor, params.cursor);
  const now = new Date();
  const held: Prisma.RoleAssignmentWhereInput = { orgId: params.scope === 'org' ? ctx.org.id : null, ...active(now) };
  const rows = await db.application.findMany({
    where: {
      type: 'M2M',
      assignments: { some: held },
      ...(cursor ? { OR: [{ name: { gt: cursor.name } }, { name: cursor.name, id: { gt: cursor.id } }] } : {}),
    },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: limit + 1,
    select: {
      id: true,
      name: true,
      clientId: true,
      assignments: {
        where: held,
        orderBy: [{ role: { name: 'asc' } }, { id: 'asc' }],
        take: 100,
        select: { id: true, expiresAt: true, role: { select: { key: true, name: true } } },
      },
    },
  });
  const page = toPage(rows, limit, (last) => ({ name: last.name, id: last.id }));
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((a) => ({
      id: a.id,
      name: a.name,
      clientId: a.clientId,
      roles: a.assignments.map((r) => ({ assignmentId: r.id, key: r.role.key, name: r.role.name, expiresAt: r.expiresAt?.toISOString() ?? null })),
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The platform's view (cross-tenant: callers hold platform:read through requirePlatform)

export interface ClientDto {
  id: string;
  name: string;
  clientId: string;
  description: string;
  /** Every role assignment the client holds, global and per org, expired ones included. */
  assignmentCount: number;
}

const clientSelect = {
  id: true,
  name: true,
  clientId: true,
  description: true,
  _count: { select: { assignments: true } },
} satisfies Prisma.ApplicationSelect;

function toClientDto(a: Prisma.ApplicationGetPayload<{ select: typeof clientSelect }>): ClientDto {
  return { id: a.id, name: a.name, clientId: a.clientId, description: a.description, assignmentCount: a._count.assignments };
}

/** Every M2M application, by name, searchable by name or Auth0 client id, with a count of its role assignments. */
export async function listClients(_ctx: PlatformContext, params: { q?: string; cursor?: string; limit?: number }): Promise<Page<ClientDto>> {
  const limit = pageSize(params.limit);
  const cursor = decodeCursor(NameCursor, params.cursor);
  const q = params.q?.trim();
  const rows = await db.application.findMany({
    where: {
      type: 'M2M',
      AND: [
        q ? { OR: [{ name: { contains: q, mode: 'insensitive' } }, { clientId: { contains: q, mode: 'insensitive' } }] } : {},
        cursor ? { OR: [{ name: { gt: cursor.name } }, { name: cursor.name, id: { gt: cursor.id } }] } : {},
      ],
    },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: limit + 1,
    select: clientSelect,
  });
  const page = toPage(rows, limit, (last) => ({ name: last.name, id: last.id }));
  return { nextCursor: page.nextCursor, items: page.items.map(toClientDto) };
}

/** One M2M application by its id, or null (also for an application of another type, or a malformed id). */
export async function getClient(_ctx: PlatformContext, clientAppId: string): Promise<ClientDto | null> {
  if (!z.string().uuid().safeParse(clientAppId).success) return null;
  const app = await db.application.findFirst({ where: { id: clientAppId, type: 'M2M' }, select: clientSelect });
  return app ? toClientDto(app) : null;
}

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
const SlugCursor = z.object({ slug: z.string() });

/**
 * A user's or client's role assignments org by org: the global ones, then a page of orgs (by slug) with the roles
 * held in each. Expired assignments are included and flagged, so they can be seen and revoked.
 */
export async function listSubjectAssignments(
  _ctx: PlatformContext,
  subject: AssignmentSubject,
  params: { cursor?: string; limit?: number } = {},
): Promise<SubjectAssignmentsDto> {
  const limit = pageSize(params.limit ?? 20);
  const cursor = decodeCursor(SlugCursor, params.cursor);
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
      where: { assignments: { some: mine }, ...(cursor ? { slug: { gt: cursor.slug } } : {}) },
      orderBy: { slug: 'asc' },
      take: limit + 1,
      select: {
        id: true,
        slug: true,
        name: true,
        assignments: { where: mine, orderBy: [{ role: { name: 'asc' } }, { id: 'asc' }], take: PER_ORG_LIMIT, select: assignmentSelect },
      },
    }),
  ]);
  const page = toPage(orgRows, limit, (last) => ({ slug: last.slug }));
  return {
    global: global.map((r) => toAssignmentDto(r, now)),
    orgs: {
      nextCursor: page.nextCursor,
      items: page.items.map((o) => ({ org: { id: o.id, slug: o.slug, name: o.name }, assignments: o.assignments.map((r) => toAssignmentDto(r, now)) })),
    },
  };
}

export interface OrgChoiceDto {
  id: string;
  slug: string;
  name: string;
}

/** Orgs whose slug (or name) contains the query, slug prefix matches first; for the org pickers. */
export async function searchOrgs(_ctx: PlatformContext, q: string | undefined, limit = 10): Promise<OrgChoiceDto[]> {
  const term = q?.trim().toLowerCase();
  const take = Math.min(Math.max(limit, 1), 50);
  const select = { id: true, slug: true, name: true } as const;
  if (!term) return db.org.findMany({ orderBy: { slug: 'asc' }, take, select });
  const [prefix, contains] = await Promise.all([
    db.org.findMany({ where: { slug: { startsWith: term } }, orderBy: { slug: 'asc' }, take, select }),
    db.org.findMany({
      where: { OR: [{ slug: { contains: term } }, { name: { contains: term, mode: 'insensitive' } }] },
      orderBy: { slug: 'asc' },
      take,
      select,
    }),
  ]);
  const seen = new Set<string>();
  return [...prefix, ...contains].filter((o) => !seen.has(o.id) && seen.add(o.id)).slice(0, take);
}

// ---------------------------------------------------------------------------------------------------------------
// Mutations

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
      await recordAudit(tx, {
        actor: userActor(ctx),
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
        requestId: ctx.requestId,
      });
      return toAssignmentDto(row, now);
    });
  } catch (error) {
    // Two operators giving the same role at the same moment: the unique index keeps one row.
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', 'That role was just given in this scope by someone else.');
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
    await tx.roleAssignment.delete({ where: { id: row.id } });
    await recordAudit(tx, {
      actor: userActor(ctx),
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
      requestId: ctx.requestId,
    });
    return { assignmentId: row.id };
  });
}
