import { describe, expect, it } from 'vitest';
import { recordAudit } from '@/lib/audit';
import { db } from '@/lib/db';
import { createOrg } from '@/prisma/factories';

describe('the audit table', () => {
  it('accepts inserts and refuses UPDATE, DELETE and TRUNCATE', async () => {
    const org = await createOrg(db);
    await db.$transaction((tx) =>
      recordAudit(tx, { actor: { type: 'system', label: 'test' }, orgId: org.id, action: 'org.updated', after: { name: 'x' } }),
    );
    const row = await db.auditEvent.findFirstOrThrow({ where: { orgId: org.id }, select: { id: true } });

    await expect(db.$executeRaw`UPDATE audit_events SET action = 'org.created' WHERE id = ${row.id}`).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`DELETE FROM audit_events WHERE id = ${row.id}`).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.update({ where: { id: row.id }, data: { action: 'org.created' } })).rejects.toThrow();

    const still = await db.auditEvent.findUniqueOrThrow({ where: { id: row.id }, select: { action: true } });
    expect(still.action).toBe('org.updated');
  });

  it('rolls back with the change it records', async () => {
    const org = await createOrg(db);
    await expect(
      db.$transaction(async (tx) => {
        await tx.org.update({ where: { id: org.id }, data: { name: 'Renamed' } });
        await recordAudit(tx, { actor: { type: 'system' }, orgId: org.id, action: 'org.updated' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await db.org.findUniqueOrThrow({ where: { id: org.id } })).name).toBe(org.name);
    expect(await db.auditEvent.count({ where: { orgId: org.id } })).toBe(0);
  });
});
