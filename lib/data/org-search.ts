import 'server-only';
import { z } from 'zod';
import type { PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client.ts';
import { decodeCursor, encodeCursor, type Page } from './pagination';

export interface OrgOptionDto {
  id: string;
  slug: string;
  name: string;
}

const Cursor = z.object({ slug: z.string().max(100).refine((s) => !s.includes('\u0000')) });

export const ORG_SEARCH_PAGE_SIZE = 20;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The org picker's search: organizations whose slug or name contains `q` (any case), by slug, keyset-paginated
 * (slugs are unique). Cross-tenant: platform callers only (requirePlatform in the route).
 */
export async function searchOrgsPage(_ctx: PlatformContext, params: { q?: string; cursor?: string; limit?: number }): Promise<Page<OrgOptionDto>> {
  const limit = Math.min(Math.max(params.limit ?? ORG_SEARCH_PAGE_SIZE, 1), 50);
  const term = params.q?.trim();
  const cursor = decodeCursor(Cursor, params.cursor);
  const like = term ? `%${escapeLike(term)}%` : null;
  const rows = await db.$queryRaw<OrgOptionDto[]>`
    SELECT id, slug, name FROM orgs
    WHERE true${like ? Prisma.sql` AND (slug ILIKE ${like} OR name ILIKE ${like})` : Prisma.empty}${cursor ? Prisma.sql` AND slug > ${cursor.slug}` : Prisma.empty}
    ORDER BY slug
    LIMIT ${limit + 1}`;
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ slug: last.slug }) : null };
}

/** An org's name by its slug (the picker shows the chosen org by name), or undefined. */
export async function getOrgNameBySlug(_ctx: PlatformContext, slug: string): Promise<string | undefined> {
  const org = await db.org.findUnique({ where: { slug }, select: { name: true } });
  return org?.name;
}
