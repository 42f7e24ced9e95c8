import 'server-only';
import { generateApiKey } from '@/lib/access/api-keys';
import { type ApiKeyScope } from '@/lib/access/api-key-scopes';
import { audit } from '@/lib/audit';
import type { PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import type { CreateApiKeyInput } from '@/lib/schemas/api-keys';
import { newestFirst, type Page } from './pagination';

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

/** Decision API keys, newest first. Secrets are never readable after creation; only the prefix is shown. */
export async function listApiKeys(_ctx: PlatformContext, params: { cursor?: string; limit?: number }): Promise<Page<ApiKeyDto>> {
  const page = newestFirst.query(params);
  const rows = await db.apiKey.findMany({
    where: page.where,
    orderBy: page.orderBy,
    take: page.take,
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
  const { items, nextCursor } = page.page(rows);
  const now = new Date();
  return {
    nextCursor,
    items: items.map((k) => ({
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
    await audit(tx, ctx, {
      action: 'api_key.created',
      target: { type: 'api_key', id: row.id },
      after: { name: input.name, prefix, scopes, expiresAt: expiresAt?.toISOString() ?? null },
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
    await audit(tx, ctx, { action: 'api_key.revoked', target: { type: 'api_key', id: row.id }, before: { name: row.name, prefix: row.prefix } });
    return { revoked: true as const };
  });
}
