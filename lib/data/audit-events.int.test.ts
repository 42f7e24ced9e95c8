import { describe, expect, it } from 'vitest';
import { recordAudit } from '@/lib/audit';
import { db } from '@/lib/db';
import { AuditFilters } from '@/lib/schemas/audit';
import { createOrg, createUser, randomSuffix, seedOrgWithTiers } from '@/prisma/factories';
import { orgContext } from '@/tests/contexts';
import { platformUser } from '@/tests/platform-contexts';
import { getPlatformAuditEvent, listOrgAuditEvents, listPlatformAuditEvents, listUserAuditTrail } from './audit-events';
import { auditExportStream } from './audit-export';

const filters = (f: Record<string, string>) => AuditFilters.parse(f);

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('an org audit log stays scoped to its org', () => {
  it('shows its own members’ events, never another org’s, events without an org, or the platform’s records about it', async () => {
    const a = await seedOrgWithTiers(db);
    const b = await seedOrgWithTiers(db);
    const ctxA = await orgContext(a.org, a.owner);
    const { user: staff } = await platformUser('SUPERADMIN', { rowRole: 'STAFF' });
    const staffActor = { type: 'user' as const, id: staff.id, label: staff.email };
    const ownerActor = { type: 'user' as const, id: a.owner.id, label: a.owner.email };
    await db.$transaction(async (tx) => {
      await recordAudit(tx, { actor: ownerActor, orgId: a.org.id, action: 'member.tier_changed', target: { type: 'user', id: a.employee.id }, before: { tier: 'EMPLOYEE' }, after: { tier: 'ADMIN' } });
      await recordAudit(tx, { actor: { type: 'user', id: b.owner.id }, orgId: b.org.id, action: 'member.removed', target: { type: 'user', id: b.employee.id } });
      // The platform's records about org A: a staff look, a suspension, an operator's rule and assignment.
      await recordAudit(tx, { actor: staffActor, orgId: a.org.id, action: 'platform.viewed', target: { type: 'platform_view', id: `/platform/orgs/${a.org.id}` } });
      await recordAudit(tx, { actor: staffActor, orgId: a.org.id, action: 'org.suspended', target: { type: 'org', id: a.org.id }, after: { reason: 'unpaid' } });
      await recordAudit(tx, { actor: staffActor, orgId: a.org.id, action: 'rule.created', target: { type: 'rule', id: a.org.id } });
      await recordAudit(tx, { actor: staffActor, orgId: a.org.id, action: 'assignment.created', target: { type: 'assignment', id: a.org.id } });
      await recordAudit(tx, { actor: staffActor, action: 'user.blocked', target: { type: 'user', id: a.employee.id } });
    });
    const page = await listOrgAuditEvents(ctxA, {});
    expect(page.items.map((e) => e.action)).toEqual(['member.tier_changed']);
    const [event] = page.items;
    // Labels come from the current rows: the sentence can say "… made <name> an admin".
    expect(event!.actor).toMatchObject({ id: a.owner.id, label: a.owner.name });
    expect(event!.target).toMatchObject({ type: 'user', id: a.employee.id, label: a.employee.name, known: true });
    expect(event!.org).toMatchObject({ id: a.org.id, label: a.org.name, slug: a.org.slug });
    // Filters: actor by email or id, action, days.
    expect((await listOrgAuditEvents(ctxA, filters({ actor: a.owner.email.toUpperCase() }))).items).toHaveLength(1);
    expect((await listOrgAuditEvents(ctxA, filters({ actor: staff.id }))).items).toHaveLength(0);
    expect((await listOrgAuditEvents(ctxA, filters({ actor: 'nobody@example.test' }))).items).toHaveLength(0);
    expect((await listOrgAuditEvents(ctxA, filters({ action: 'member.removed' }))).items).toHaveLength(0);
    const today = new Date().toISOString().slice(0, 10);
    expect((await listOrgAuditEvents(ctxA, filters({ from: today, to: today }))).items).toHaveLength(1);
    expect((await listOrgAuditEvents(ctxA, filters({ to: '2020-01-01' }))).items).toHaveLength(0);
    // B's admins see B's event only.
    const ctxB = await orgContext(b.org, b.owner);
    expect((await listOrgAuditEvents(ctxB, {})).items.map((e) => e.action)).toEqual(['member.removed']);
  });

  it('exports the org log as RFC 4180 CSV with the same scope', async () => {
    const a = await seedOrgWithTiers(db);
    const ctxA = await orgContext(a.org, a.owner);
    await db.$transaction((tx) =>
      recordAudit(tx, {
        actor: { type: 'user', id: a.owner.id },
        orgId: a.org.id,
        action: 'org.updated',
        target: { type: 'org', id: a.org.id },
        before: { name: 'Old, "quoted"' },
        after: { name: '=HYPERLINK("x")' },
      }),
    );
    await db.$transaction((tx) => recordAudit(tx, { actor: { type: 'user', id: a.owner.id }, orgId: a.org.id, action: 'platform.viewed' }));
    const csv = await readAll(await auditExportStream('csv', (p) => listOrgAuditEvents(ctxA, p)));
    // RFC 4180 §2: records end in CRLF, a field with a comma, quote or line break is quoted and its quotes doubled.
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('id,at,sentence,action,actor_type,actor_id,actor,org_id,org,target_type,target_id,target,before,after,request_id');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines[1]).toContain(',org.updated,');
    expect(lines[1]).toContain('"{""name"":""Old, \\""quoted\\""""}"');
    // A cell that would start a formula is defused (OWASP CSV injection): the after JSON starts with `{`, the name
    // inside is quoted text; the sentence cell starts with the actor's name.
    expect(lines[1]).not.toMatch(/,=/);
  });
});

describe('the global audit log', () => {
  it('filters by org (slug or id), actor, action, target and days, and pages newest first by (at, id)', async () => {
    const { ctx } = await platformUser('STAFF');
    const org = await createOrg(db);
    const actor = await createUser(db);
    const target = await createUser(db);
    const s = randomSuffix();
    await db.$transaction(async (tx) => {
      for (let i = 0; i < 5; i++) {
        await recordAudit(tx, { actor: { type: 'user', id: actor.id }, orgId: org.id, action: 'member.roles_changed', target: { type: 'user', id: target.id }, after: { granted: `r${i}-${s}` } });
      }
      await recordAudit(tx, { actor: { type: 'user', id: actor.id }, action: 'user.blocked', target: { type: 'user', id: target.id } });
    });
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listPlatformAuditEvents(ctx, { ...filters({ org: org.slug }), cursor, limit: 2 });
      ids.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(ids).toHaveLength(5);
    expect([...ids].sort((x, y) => Number(BigInt(y) - BigInt(x)))).toEqual(ids);
    expect((await listPlatformAuditEvents(ctx, filters({ org: org.id }))).items).toHaveLength(5);
    expect((await listPlatformAuditEvents(ctx, filters({ org: 'no-such-org-here' }))).items).toHaveLength(0);
    expect((await listPlatformAuditEvents(ctx, filters({ actor: actor.email }))).items).toHaveLength(6);
    expect((await listPlatformAuditEvents(ctx, filters({ actor: actor.id, action: 'user.blocked' }))).items).toHaveLength(1);
    expect((await listPlatformAuditEvents(ctx, filters({ target: `user:${target.id}` }))).items).toHaveLength(6);
    expect((await listPlatformAuditEvents(ctx, filters({ target: target.id, org: org.slug }))).items).toHaveLength(5);
    expect((await listPlatformAuditEvents(ctx, filters({ actor: actor.id, from: '2099-01-01' }))).items).toHaveLength(0);
    // By or about: the target's trail holds all six; the actor's too.
    expect((await listUserAuditTrail(ctx, target.id)).items).toHaveLength(6);
    expect((await listUserAuditTrail(ctx, actor.id, { limit: 4 })).items).toHaveLength(4);
    const one = await getPlatformAuditEvent(ctx, ids[0]!);
    expect(one).toMatchObject({ id: ids[0], org: { id: org.id }, target: { id: target.id, label: target.name } });
    expect(await getPlatformAuditEvent(ctx, 'abc')).toBeNull();
  });

  it('names each person, org and catalog thing an event is about by its current name, and a gone one as unknown', async () => {
    const { ctx } = await platformUser('STAFF');
    const s = randomSuffix();
    const actor = await createUser(db);
    const person = await createUser(db, { name: '' });
    const org = await createOrg(db);
    const gone = await createOrg(db);
    const role = await db.role.create({ data: { key: `r-${s}`, name: `Role ${s}` } });
    const api = await db.api.create({ data: { identifier: `https://api-${s}.example.test`, name: `API ${s}` } });
    const app = await db.application.create({ data: { name: `App ${s}`, type: 'SPA', clientId: `client-${s}` } });
    const rule = await db.defaultRoleRule.create({ data: { name: `Rule ${s}`, position: 0 } });
    const key = await db.apiKey.create({ data: { name: `Key ${s}`, prefix: `gh_${s}`, secretHash: `hash-${s}`, scopes: [] } });
    const targets: [string, string][] = [
      ['user', person.id],
      ['org', org.id],
      ['role', role.id],
      ['api', api.id],
      ['application', app.id],
      ['rule', rule.id],
      ['api_key', key.id],
      ['role', '00000000-0000-4000-8000-000000000000'],
      ['platform_view', '/platform/orgs'],
    ];
    await db.$transaction(async (tx) => {
      for (const [type, id] of targets) await recordAudit(tx, { actor: { type: 'user', id: actor.id }, orgId: gone.id, action: 'platform.viewed', target: { type, id } });
    });
    await db.org.delete({ where: { id: gone.id } });
    const page = await listPlatformAuditEvents(ctx, filters({ actor: actor.email }));
    expect(page.items.map((e) => [e.target?.type, e.target?.label, e.target?.known]).reverse()).toEqual([
      // A person without a name is named by their email, as everywhere in the console.
      ['user', person.email, true],
      ['org', org.name, true],
      ['role', role.name, true],
      ['api', api.name, true],
      ['application', app.name, true],
      ['rule', rule.name, true],
      ['api_key', key.name, true],
      ['role', null, false],
      ['platform_view', null, false],
    ]);
    expect(page.items[0]!.actor).toEqual({ type: 'user', id: actor.id, label: actor.name });
    expect(page.items[0]!.org).toEqual({ id: gone.id, label: 'a deleted organization', slug: null, known: false });
    expect((await listPlatformAuditEvents(ctx, filters({ org: gone.slug }))).items).toEqual([]);
  });

  it('streams JSON Lines of the filter, page after page', async () => {
    const { ctx } = await platformUser('STAFF');
    const actor = await createUser(db);
    await db.$transaction(async (tx) => {
      for (let i = 0; i < 450; i++) await recordAudit(tx, { actor: { type: 'user', id: actor.id }, action: 'platform.viewed', target: { type: 'platform_view', id: `/p/${i}` }, after: { path: `/p/${i}` } });
    });
    const text = await readAll(await auditExportStream('jsonl', (p) => listPlatformAuditEvents(ctx, { ...filters({ actor: actor.id }), ...p })));
    const records = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { action: string; sentence: string; after: { path: string } });
    expect(records).toHaveLength(450);
    expect(records[0]!.after.path).toBe('/p/449');
    expect(records[0]!.sentence).toBe(`${actor.name} looked at /p/449`);
  });
});
