import 'server-only';
import { z } from 'zod';
import { generateApiKey, type ApiKeyScope } from '@/lib/access/api-keys';
import type { PlatformContext } from '@/lib/authz/types';
import { recordAudit, userActor } from '@/lib/audit';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import type { CreateApiKeyInput } from '@/lib/schemas/api-keys';
import { decodeCursor, pageSize, toPage, type Page } from './pagination';

export interface ApiKeyDto {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  status: 'active' | 'expired' | 'revoked';
  createdBy: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

const Cursor = z.object({ createdAt: z.string().datetime(), id: z.string().uuid() });

/** Decision API keys, newest first. Secrets are never readable after creation; only the prefix is shown. */
export async function listApiKeys(_ctx: PlatformContext, params: { cursor?: string; limit?: number }): Promise<Page<ApiKeyDto>> {
  const limit = pageSize(params.limit);
  const cursor = decodeCursor(Cursor, params.cursor);
  const rows = await db.apiKey.findMany({
    where: cursor
      ? { OR: [{ createdAt: { lt: new Date(cursor.createdAt) } }, { createdAt: new Date(cursor.createdAt), id: { lt: cursor.id } }] }
      : {},
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    select: {
      id: true,
      name: true,
      prefix: true,
      scopes: true,
      createdAt: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      createdBy: { select: { email: true } },
    },
  });
  const page = toPage(rows, limit, (last) => ({ createdAt: last.createdAt.toISOString(), id: last.id }));
  const now = new Date();
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((k) => ({
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      scopes: k.scopes,
      status: k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt <= now ? 'expired' : 'active',
      createdBy: k.createdBy?.email ?? null,
      createdAt: k.createdAt.toISOString(),
      expiresAt: k.expiresAt?.toISOString() ?? null,
      lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    })),
  };
}

/** Creates a key and returns it once; only its hash is kept. */
export async function createApiKey(ctx: PlatformContext, input: CreateApiKeyInput): Promise<{ id: string; key: string; prefix: string }> {
  const { key, prefix, secretHash } = generateApiKey();
  const scopes = [...new Set(input.scopes)] as ApiKeyScope[];
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  return db.$transaction(async (tx) => {
    const row = await tx.apiKey.create({
      data: { name: input.name, prefix, secretHash, scopes, expiresAt, createdById: ctx.user.id },
      select: { id: true },
    });
    await recordAudit(tx, {
      actor: userActor(ctx),
      action: 'api_key.created',
      target: { type: 'api_key', id: row.id },
      after: { name: input.name, prefix, scopes, expiresAt: expiresAt?.toISOString() ?? null },
      requestId: ctx.requestId,
    });
    return { id: row.id, key, prefix };
  });
}

/** Revokes a key; the decision API refuses it within a second. */
export async function revokeApiKey(ctx: PlatformContext, input: { apiKeyId: string }): Promise<{ revoked: true }> {
  return db.$transaction(async (tx) => {
    const row = await tx.apiKey.findUnique({ where: { id: input.apiKeyId }, select: { id: true, name: true, prefix: true, revokedAt: true } });
    if (!row) throw new AppError('NOT_FOUND', 'That key does not exist.');
    if (row.revokedAt) throw new AppError('CONFLICT', 'That key is already revoked.');
    await tx.apiKey.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, {
      actor: userActor(ctx),
      action: 'api_key.revoked',
      target: { type: 'api_key', id: row.id },
      before: { name: row.name, prefix: row.prefix },
      requestId: ctx.requestId,
    });
    return { revoked: true as const };
  });
}
