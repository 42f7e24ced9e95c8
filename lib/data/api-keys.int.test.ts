import { describe, expect, it } from 'vitest';
import { hashApiKey, parseApiKey } from '@/lib/access/api-keys';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { createUser, randomSuffix } from '@/prisma/factories';
import { userContext } from '@/tests/contexts';
import { CreateApiKeyInput } from '@/lib/schemas/api-keys';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys';

async function operator() {
  const u = await createUser(db, { platformRole: 'OPERATOR' });
  return { ...userContext(u), actor: { platformRole: 'OPERATOR' as const } };
}

describe('decision API keys', () => {
  it('shows the key once, stores only its hash, lists and revokes it, all audited', async () => {
    const ctx = await operator();
    const name = `backend ${randomSuffix()}`;
    const created = await createApiKey(ctx, CreateApiKeyInput.parse({ name, scopes: ['check', 'check'], expiresInDays: 30 }));
    expect(parseApiKey(created.key)).toEqual({ prefix: created.prefix });
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ name, prefix: created.prefix, secretHash: hashApiKey(created.key), scopes: ['check'] });
    expect(JSON.stringify(row)).not.toContain(created.key);
    expect(row.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    const listed = (await listApiKeys(ctx, { limit: 200 })).items.find((k) => k.id === created.id);
    expect(listed).toMatchObject({ status: 'active', prefix: created.prefix, lastUsedAt: null });
    expect(JSON.stringify(listed)).not.toContain(created.key);

    await revokeApiKey(ctx, { apiKeyId: created.id });
    const again = await revokeApiKey(ctx, { apiKeyId: created.id }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(AppError);
    expect((again as AppError).code).toBe('CONFLICT');
    expect((await listApiKeys(ctx, { limit: 200 })).items.find((k) => k.id === created.id)?.status).toBe('revoked');
    const actions = (await db.auditEvent.findMany({ where: { targetId: created.id }, orderBy: { id: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual(['api_key.created', 'api_key.revoked']);
  });

  it('refuses bad input with clear field errors', () => {
    const bad = CreateApiKeyInput.safeParse({ name: ' ', scopes: ['admin'], expiresInDays: 0 });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'scopes.0', 'expiresInDays']));
    expect(CreateApiKeyInput.safeParse({ name: 'x', scopes: [] }).success).toBe(false);
  });
});
