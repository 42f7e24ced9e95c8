import 'server-only';
import type { PlatformContext } from '@/lib/authz/types';
import { db, type Tx } from '@/lib/db';
import {
  MAX_ROLE_APPLICATIONS,
  type AccessPolicy,
  type AppType,
  type CreateApplicationInput,
  type DeleteApplicationInput,
  type UpdateApplicationInput,
} from '@/lib/schemas/catalog';
import { byName, type Page } from '../pagination';
import { createAudited, deleteLocked, isId, plural, updateLocked, usage, usageIfExists, type Usage } from '../recipes';

/**
 * Applications (web, SPA, native, M2M) by their Auth0 client id, part of the platform-wide role catalog: reads
 * need platform:read, mutations catalog:write (lib/authz/surface.ts). Every mutation runs in one transaction with
 * its audit row; deleting one in use answers CONFLICT with what uses it unless the caller confirms.
 */

export interface ApplicationListItemDto {
  id: string;
  name: string;
  type: AppType;
  clientId: string;
  accessPolicy: AccessPolicy;
  description: string;
  /** Where people open it, or null. */
  url: string | null;
  roleCount: number;
}

export interface ApplicationDto extends ApplicationListItemDto {
  createdAt: string;
  updatedAt: string;
  /** The roles mapped to it, by name (at most MAX_ROLE_APPLICATIONS). */
  roles: { id: string; key: string; name: string; builtIn: boolean }[];
}

/** Applications, filterable by type and searchable by name or client id, ordered by name, cursor-paginated. */
export async function listApplications(
  _ctx: PlatformContext,
  params: { q?: string; type?: AppType; cursor?: string; limit?: number } = {},
): Promise<Page<ApplicationListItemDto>> {
  const page = byName.query(params);
  const q = params.q?.trim();
  const rows = await db.application.findMany({
    where: {
      AND: [
        params.type ? { type: params.type } : {},
        q ? { OR: [{ name: { contains: q, mode: 'insensitive' } }, { clientId: { contains: q, mode: 'insensitive' } }] } : {},
        page.where,
      ],
    },
    orderBy: page.orderBy,
    take: page.take,
    select: { id: true, name: true, type: true, clientId: true, accessPolicy: true, description: true, url: true, _count: { select: { roles: true } } },
  });
  const { items, nextCursor } = page.page(rows);
  return { nextCursor, items: items.map(({ _count, ...a }) => ({ ...a, roleCount: _count.roles })) };
}

/** One application with its mapped roles, or null. */
export async function getApplication(_ctx: PlatformContext, applicationId: string): Promise<ApplicationDto | null> {
  if (!isId(applicationId)) return null;
  const a = await db.application.findUnique({
    where: { id: applicationId },
    select: {
      id: true,
      name: true,
      type: true,
      clientId: true,
      accessPolicy: true,
      description: true,
      url: true,
      createdAt: true,
      updatedAt: true,
      _count: { select: { roles: true } },
      roles: {
        take: MAX_ROLE_APPLICATIONS,
        orderBy: { role: { name: 'asc' } },
        select: { role: { select: { id: true, key: true, name: true, builtIn: true } } },
      },
    },
  });
  if (!a) return null;
  const { _count, roles, createdAt, updatedAt, ...rest } = a;
  return { ...rest, roleCount: _count.roles, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString(), roles: roles.map((r) => r.role) };
}

export type ApplicationUsage = Usage<{ roles: number; assignments: number }>;

async function applicationUsage(client: Tx, applicationId: string): Promise<ApplicationUsage> {
  const [roles, assignments] = await Promise.all([
    client.roleApplication.count({ where: { applicationId } }),
    client.roleAssignment.count({ where: { clientAppId: applicationId } }),
  ]);
  return usage({ roles, assignments }, roles + assignments > 0, [
    roles > 0 ? `${plural(roles, 'role is', 'roles are')} mapped to it` : null,
    assignments > 0 ? `as an M2M client it holds ${plural(assignments, 'role assignment')}` : null,
  ]);
}

/** The roles mapped to the application and the role assignments it holds as an M2M client. */
export async function getApplicationUsage(_ctx: PlatformContext, applicationId: string): Promise<ApplicationUsage | null> {
  return usageIfExists(applicationId, (tx) => tx.application.count({ where: { id: applicationId } }), (tx) => applicationUsage(tx, applicationId));
}

const CLIENT_ID_TAKEN = { field: 'clientId', message: 'Another application already has this client id.' };

const fields = { name: true, type: true, clientId: true, accessPolicy: true, description: true, url: true } as const;

/** The stored fields from an input; a url left out keeps `currentUrl` (null on create). */
function fieldsOf(input: CreateApplicationInput, currentUrl: string | null = null) {
  return {
    name: input.name,
    type: input.type,
    clientId: input.clientId,
    accessPolicy: input.accessPolicy,
    description: input.description,
    url: input.url === undefined ? currentUrl : input.url,
  };
}

/** Registers an application by its Auth0 client id. A taken client id is CONFLICT. */
export async function createApplication(ctx: PlatformContext, input: CreateApplicationInput): Promise<{ id: string; name: string; clientId: string }> {
  const data = fieldsOf(input);
  const app = await createAudited(ctx, {
    create: (tx) => tx.application.create({ data, select: { id: true } }),
    audit: ({ id }) => ({ action: 'application.created', target: { type: 'application', id }, after: data }),
    unique: CLIENT_ID_TAKEN,
  });
  return { id: app.id, name: data.name, clientId: data.clientId };
}

/** Changes an application's name, type, client id, access policy or description; audited with before and after. */
export async function updateApplication(
  ctx: PlatformContext,
  input: UpdateApplicationInput,
): Promise<{ id: string; name: string; clientId: string; changed: boolean }> {
  const { after, changed } = await updateLocked(ctx, {
    lock: { table: 'applications', id: input.applicationId, what: 'application' },
    read: (tx) => tx.application.findUniqueOrThrow({ where: { id: input.applicationId }, select: fields }),
    change: (before) => ({ before, after: fieldsOf(input, before.url) }),
    write: (tx, data) => tx.application.update({ where: { id: input.applicationId }, data }),
    audit: { action: 'application.updated', target: { type: 'application', id: input.applicationId } },
    unique: CLIENT_ID_TAKEN,
  });
  return { id: input.applicationId, name: after.name, clientId: after.clientId, changed };
}

/** Deletes an application with its role mappings and its M2M role assignments. In use: CONFLICT unless confirmed. */
export async function deleteApplication(ctx: PlatformContext, input: DeleteApplicationInput): Promise<{ id: string; deleted: true }> {
  await deleteLocked(ctx, {
    lock: { table: 'applications', id: input.applicationId, what: 'application' },
    read: (tx) => tx.application.findUniqueOrThrow({ where: { id: input.applicationId }, select: fields }),
    usage: (tx) => applicationUsage(tx, input.applicationId),
    confirm: { given: input.confirm, what: 'it' },
    remove: (tx) => tx.application.delete({ where: { id: input.applicationId } }),
    audit: (app, u) => ({ action: 'application.deleted', target: { type: 'application', id: input.applicationId }, before: { ...app, usage: u.counts } }),
  });
  return { id: input.applicationId, deleted: true };
}
