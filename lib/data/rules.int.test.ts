import { afterAll, describe, expect, it } from 'vitest';
import type { PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import type { SignInIdentity } from '@/lib/provisioning/identity';
import { recordSignIn } from '@/lib/provisioning/sign-in';
import { CreateRuleInput } from '@/lib/schemas/rules';
import { addMember, createOrg, createUser, ensureBuiltInRoles, randomSuffix } from '@/prisma/factories';
import { backfillRule, createRule, deleteRule, dryRunRule, getRule, listRules, moveRule, updateRule } from './rules';

/**
 * Rules are global: every rule made here has a connection or an email domain of its own (`rule-<random>.test`),
 * so it never matches another test's users, and each rule is deleted when the file is done.
 */
const codeOf = (e: unknown) => (e instanceof AppError ? e.code : `not an AppError: ${String(e)}`);
const made: string[] = [];

async function operatorContext(): Promise<PlatformContext> {
  const user = await createUser(db, { platformRole: 'OPERATOR' });
  return {
    user: { id: user.id, sub: user.sub, email: user.email, name: user.name, platformRole: 'OPERATOR', blocked: false },
    requestId: `req-${randomSuffix()}`,
    actor: { platformRole: 'OPERATOR' },
  };
}

async function customRole() {
  const s = randomSuffix();
  return db.role.create({ data: { key: `role-${s}`, name: `Role ${s}` } });
}

async function rule(ctx: PlatformContext, input: Partial<CreateRuleInput> & { name?: string }) {
  // These tests are about what enabled rules do; a new rule starts disabled unless told (see the test below).
  const r = await createRule(ctx, CreateRuleInput.parse({ name: `Rule ${randomSuffix()}`, enabled: true, ...input }));
  made.push(r.id);
  return r;
}

function identity(email: string, connection: string, emailVerified = true): SignInIdentity {
  return { sub: `${connection}|${randomSuffix()}`, email, emailVerified, name: null, connection };
}

async function rolesOf(userId: string) {
  const rows = await db.roleAssignment.findMany({ where: { userId }, select: { roleId: true, orgId: true, expiresAt: true } });
  return rows.map((r) => `${r.roleId}@${r.orgId ?? 'global'}`).sort();
}

async function membershipsOf(userId: string) {
  const rows = await db.membership.findMany({ where: { userId }, select: { orgId: true, tier: true } });
  return rows.map((m) => `${m.orgId}:${m.tier}`).sort();
}

afterAll(async () => {
  const ctx = await operatorContext();
  for (const id of made) await deleteRule(ctx, { ruleId: id }).catch(() => undefined);
});

describe('first sign-in', () => {
  it('applies the matching rules in order, up to the first matching stop rule; later sign-ins apply nothing', async () => {
    const ctx = await operatorContext();
    const s = randomSuffix();
    const domain = `rule-${s}.test`;
    const corp = `corp-${s}`;
    const [orgA, orgB, r1, r2, r3, r4] = await Promise.all([createOrg(db), createOrg(db), customRole(), customRole(), customRole(), customRole()]);
    // A disabled stop rule first: it neither applies nor stops anything.
    await rule(ctx, { emailDomain: domain, enabled: false, stop: true, orgId: orgB.id, tier: 'OWNER', roles: [{ roleId: r4.id, global: true }] });
    await rule(ctx, { emailDomain: domain, orgId: orgA.id, tier: 'EMPLOYEE', roles: [{ roleId: r1.id, global: false }, { roleId: r2.id, global: true }] });
    await rule(ctx, { connection: corp, emailDomain: domain, requireVerifiedEmail: true, orgId: orgB.id, tier: 'ADMIN', roles: [{ roleId: r3.id, global: false }], stop: true });
    await rule(ctx, { emailDomain: domain, roles: [{ roleId: r3.id, global: true }] });

    // Matches rules 2 and 3; 3 stops before 4.
    const ivan = identity(`ivan@${domain}`, corp);
    const internal = await recordSignIn(db, { requestId: `r-${s}` }, ivan);
    expect(internal.created).toBe(true);
    expect(await membershipsOf(internal.id)).toEqual([`${orgA.id}:EMPLOYEE`, `${orgB.id}:ADMIN`].sort());
    expect(await rolesOf(internal.id)).toEqual([`${r1.id}@${orgA.id}`, `${r2.id}@global`, `${r3.id}@${orgB.id}`].sort());

    // Another connection: rule 3 does not match, so rules 2 and 4 apply.
    const customer = await recordSignIn(db, { requestId: `r2-${s}` }, identity(`cara@${domain}`, 'Username-Password-Authentication'));
    expect(await membershipsOf(customer.id)).toEqual([`${orgA.id}:EMPLOYEE`]);
    expect(await rolesOf(customer.id)).toEqual([`${r1.id}@${orgA.id}`, `${r2.id}@global`, `${r3.id}@global`].sort());

    // An unverified email on the corp connection misses rule 3 (it requires a verified email) and goes on to rule 4.
    const unverified = await recordSignIn(db, { requestId: `r3-${s}` }, identity(`uma@${domain}`, corp, false));
    expect(await membershipsOf(unverified.id)).toEqual([`${orgA.id}:EMPLOYEE`]);

    // Every change is audited as the rule's doing, in the sign-in's request.
    const added = await db.auditEvent.findMany({ where: { action: 'member.added', targetId: internal.id }, orderBy: { id: 'asc' } });
    expect(added.map((e) => e.orgId)).toEqual([orgA.id, orgB.id]);
    expect(added[0]).toMatchObject({ actorType: 'system', requestId: `r-${s}` });
    expect(added[0]!.after).toMatchObject({ via: 'rule', tier: 'EMPLOYEE', email: `ivan@${domain}` });
    const granted = await db.auditEvent.findMany({ where: { action: 'assignment.created', requestId: `r-${s}` } });
    expect(granted).toHaveLength(3);

    // A later sign-in applies nothing, even when the user no longer has what the rules gave.
    await db.membership.deleteMany({ where: { userId: internal.id, orgId: orgA.id } });
    await db.roleAssignment.deleteMany({ where: { userId: internal.id } });
    const again = await recordSignIn(db, { requestId: `r4-${s}` }, ivan);
    expect(again).toMatchObject({ id: internal.id, created: false });
    expect(await membershipsOf(internal.id)).toEqual([`${orgB.id}:ADMIN`]);
    expect(await rolesOf(internal.id)).toEqual([]);
    expect(await db.auditEvent.count({ where: { requestId: `r4-${s}`, action: { in: ['member.added', 'assignment.created'] } } })).toBe(0);
  });

  it('leaves an existing membership as it is, and does nothing for someone no rule matches', async () => {
    const ctx = await operatorContext();
    const s = randomSuffix();
    const domain = `rule-${s}.test`;
    const org = await createOrg(db);
    await rule(ctx, { emailDomain: domain, orgId: org.id, tier: 'ADMIN' });
    const stranger = await recordSignIn(db, { requestId: `x-${s}` }, identity(`nobody@other-${s}.test`, 'Username-Password-Authentication'));
    expect(await membershipsOf(stranger.id)).toEqual([]);
    expect(await rolesOf(stranger.id)).toEqual([]);
    // A sub-domain is another domain.
    const sub = await recordSignIn(db, { requestId: `y-${s}` }, identity(`x@eu.${domain}`, 'Username-Password-Authentication'));
    expect(await membershipsOf(sub.id)).toEqual([]);
  });

  it('applies each rule once when the same first sign-in arrives concurrently', async () => {
    const ctx = await operatorContext();
    const s = randomSuffix();
    const connection = `conc-${s}`;
    const [org, role] = await Promise.all([createOrg(db), customRole()]);
    await rule(ctx, { connection, orgId: org.id, tier: 'EMPLOYEE', roles: [{ roleId: role.id, global: false }] });
    const id = identity(`c@conc-${s}.test`, connection);
    const results = await Promise.all(Array.from({ length: 6 }, () => recordSignIn(db, { requestId: `c-${s}` }, id)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await membershipsOf(results[0]!.id)).toEqual([`${org.id}:EMPLOYEE`]);
    expect(await db.auditEvent.count({ where: { requestId: `c-${s}`, action: 'member.added' } })).toBe(1);
  });
});

describe('dry run', () => {
  it('counts and lists the existing users who meet a rule’s conditions, in SQL, paginated', async () => {
    const ctx = await operatorContext();
    const s = randomSuffix();
    const domain = `rule-${s}.test`;
    const connection = `dry-${s}`;
    await Promise.all([
      createUser(db, { email: `a@${domain}`, connection, emailVerified: true }),
      createUser(db, { email: `b@${domain}`, connection, emailVerified: true }),
      createUser(db, { email: `c@${domain}`, connection, emailVerified: false }),
      createUser(db, { email: `d@${domain}`, connection: 'google-oauth2', emailVerified: true }),
      createUser(db, { email: `e@eu.${domain}`, connection, emailVerified: true }),
      createUser(db, { email: `f@x${domain}`, connection, emailVerified: true }),
    ]);
    const r = await rule(ctx, { connection, emailDomain: domain, requireVerifiedEmail: true });
    const first = await dryRunRule(ctx, { ruleId: r.id }, { limit: 1 });
    expect(first.count).toBe(2);
    expect(first.items.map((u) => u.email)).toEqual([`a@${domain}`]);
    const second = await dryRunRule(ctx, { ruleId: r.id }, { limit: 1, cursor: first.nextCursor! });
    expect(second.items.map((u) => u.email)).toEqual([`b@${domain}`]);
    expect(second.nextCursor).toBeNull();

    // Draft conditions, before any rule is saved.
    const draft = await dryRunRule(ctx, { conditions: { connection: null, emailDomain: domain, requireVerifiedEmail: false } });
    expect(draft.items.map((u) => u.email)).toEqual([`a@${domain}`, `b@${domain}`, `c@${domain}`, `d@${domain}`]);
    expect(draft.count).toBe(4);
    expect(codeOf(await dryRunRule(ctx, { ruleId: '00000000-0000-4000-8000-000000000000' }).catch((e) => e))).toBe('NOT_FOUND');
  });
});

describe('backfill', () => {
  it('applies the effect to existing users in batches, idempotently, leaving memberships as they are, audited with counts', async () => {
    const ctx = await operatorContext();
    const s = randomSuffix();
    const domain = `rule-${s}.test`;
    const [org, orgRole, globalRole] = await Promise.all([createOrg(db), customRole(), customRole()]);
    const users = await Promise.all(['a', 'b', 'c'].map((n) => createUser(db, { email: `${n}@${domain}` })));
    const outsider = await createUser(db, { email: `z@other-${s}.test` });
    // One already owns the org (stays owner); one had the global role, expired (renewed).
    await addMember(db, org.id, users[0]!.id, 'OWNER');
    await db.roleAssignment.create({ data: { roleId: globalRole.id, userId: users[1]!.id, orgId: null, expiresAt: new Date(Date.now() - 1000) } });
    const r = await rule(ctx, {
      emailDomain: domain,
      orgId: org.id,
      tier: 'EMPLOYEE',
      roles: [
        { roleId: orgRole.id, global: false },
        { roleId: globalRole.id, global: true },
      ],
    });

    const first = await backfillRule(ctx, { ruleId: r.id }, { batchSize: 2 });
    expect(first).toEqual({ ruleId: r.id, matched: 3, batches: 2, membershipsAdded: 2, assignmentsCreated: 6 });
    expect(await membershipsOf(users[0]!.id)).toEqual([`${org.id}:OWNER`]);
    for (const u of users) expect(await rolesOf(u.id)).toEqual([`${globalRole.id}@global`, `${orgRole.id}@${org.id}`].sort());
    expect((await db.roleAssignment.findFirstOrThrow({ where: { userId: users[1]!.id, roleId: globalRole.id } })).expiresAt).toBeNull();
    expect(await membershipsOf(outsider.id)).toEqual([]);

    const second = await backfillRule(ctx, { ruleId: r.id }, { batchSize: 2 });
    expect(second).toEqual({ ruleId: r.id, matched: 3, batches: 2, membershipsAdded: 0, assignmentsCreated: 0 });

    const summaries = await db.auditEvent.findMany({ where: { action: 'rule.backfilled', targetId: r.id }, orderBy: { id: 'asc' } });
    expect(summaries.map((e) => e.after)).toEqual([
      expect.objectContaining({ matched: 3, membershipsAdded: 2, assignmentsCreated: 6 }),
      expect.objectContaining({ matched: 3, membershipsAdded: 0, assignmentsCreated: 0 }),
    ]);
    expect(summaries[0]).toMatchObject({ actorId: ctx.user.id, orgId: org.id, requestId: ctx.requestId });
    expect(await db.auditEvent.count({ where: { action: 'member.added', orgId: org.id, actorId: ctx.user.id } })).toBe(2);
    expect(await db.auditEvent.count({ where: { action: 'assignment.created', actorId: ctx.user.id, requestId: ctx.requestId } })).toBe(6);
  });
});

describe('backfill of a rule without an effect', () => {
  it('counts the matches, changes nothing, and still records the run', async () => {
    const ctx = await operatorContext();
    const domain = `rule-${randomSuffix()}.test`;
    const users = await Promise.all(['a', 'b'].map((n) => createUser(db, { email: `${n}@${domain}` })));
    const r = await rule(ctx, { emailDomain: domain });
    expect(await backfillRule(ctx, { ruleId: r.id })).toEqual({ ruleId: r.id, matched: 2, batches: 0, membershipsAdded: 0, assignmentsCreated: 0 });
    for (const u of users) expect(await membershipsOf(u.id)).toEqual([]);
    expect(await db.auditEvent.count({ where: { action: 'rule.backfilled', targetId: r.id } })).toBe(1);
    expect(codeOf(await backfillRule(ctx, { ruleId: '00000000-0000-4000-8000-000000000000' }).catch((e) => e))).toBe('NOT_FOUND');
  });
});

describe('editing rules', () => {
  it('refuses bad input and changes nothing', async () => {
    await ensureBuiltInRoles(db);
    const ctx = await operatorContext();
    const [org, role] = await Promise.all([createOrg(db), customRole()]);
    const tierRole = await db.role.findUniqueOrThrow({ where: { key: 'org:employee' } });
    const name = `Bad ${randomSuffix()}`;
    const unknown = '00000000-0000-4000-8000-000000000000';
    const valid: CreateRuleInput = {
      name,
      enabled: true,
      connection: null,
      emailDomain: `rule-${randomSuffix()}.test`,
      requireVerifiedEmail: false,
      orgId: null,
      tier: null,
      roles: [],
      stop: false,
    };
    const cases: [string, CreateRuleInput, string][] = [
      ['an org-scoped role without an org', { ...valid, roles: [{ roleId: role.id, global: false }] }, 'roles'],
      ['a tier without an org', { ...valid, tier: 'EMPLOYEE' }, 'orgId'],
      ['an org without a tier', { ...valid, orgId: org.id }, 'tier'],
      ['an unknown role', { ...valid, roles: [{ roleId: unknown, global: true }] }, 'roles'],
      ['a built-in tier role', { ...valid, roles: [{ roleId: tierRole.id, global: true }] }, 'roles'],
      ['an unknown org', { ...valid, orgId: unknown, tier: 'ADMIN' }, 'orgId'],
      ['a role listed twice', { ...valid, roles: [{ roleId: role.id, global: true }, { roleId: role.id, global: true }] }, 'roles'],
    ];
    for (const [label, input, field] of cases) {
      const error = await createRule(ctx, input).catch((e) => e);
      expect(codeOf(error), label).toBe('BAD_INPUT');
      expect((error as AppError).fieldErrors, label).toHaveProperty(field);
    }
    expect(await db.defaultRoleRule.count({ where: { name } })).toBe(0);
    expect(await db.auditEvent.count({ where: { actorId: ctx.user.id } })).toBe(0);
    // The schema refuses the same shapes before the data layer is reached.
    expect(CreateRuleInput.safeParse({ name, roles: [{ roleId: role.id, global: false }] }).success).toBe(false);
    expect(CreateRuleInput.safeParse({ name, tier: 'EMPLOYEE' }).success).toBe(false);

    // An update that would leave the saved rule inconsistent is refused too, and the rule stays as it was.
    const saved = await rule(ctx, { emailDomain: `rule-${randomSuffix()}.test`, orgId: org.id, tier: 'EMPLOYEE', roles: [{ roleId: role.id, global: false }] });
    const error = await updateRule(ctx, { ruleId: saved.id, orgId: null, tier: null }).catch((e) => e);
    expect(codeOf(error)).toBe('BAD_INPUT');
    expect((error as AppError).fieldErrors).toHaveProperty('roles');
    expect(await getRule(ctx, saved.id)).toEqual(saved);
    expect(codeOf(await updateRule(ctx, { ruleId: unknown, enabled: false }).catch((e) => e))).toBe('NOT_FOUND');
  });

  it('updates fields, toggles enabled (a disabled rule does not apply), and audits before and after', async () => {
    const ctx = await operatorContext();
    const s = randomSuffix();
    const connection = `toggle-${s}`;
    const [org, role] = await Promise.all([createOrg(db), customRole()]);
    const r = await rule(ctx, { connection, roles: [{ roleId: role.id, global: true }] });
    const off = await updateRule(ctx, { ruleId: r.id, enabled: false });
    expect(off).toMatchObject({ enabled: false, connection, roles: [expect.objectContaining({ id: role.id, global: true })] });
    const u = await recordSignIn(db, { requestId: `t-${s}` }, identity(`t@toggle-${s}.test`, connection));
    expect(await rolesOf(u.id)).toEqual([]);

    const changed = await updateRule(ctx, { ruleId: r.id, enabled: true, orgId: org.id, tier: 'ADMIN', roles: [{ roleId: role.id, global: false }] });
    expect(changed).toMatchObject({ enabled: true, org: { id: org.id }, tier: 'ADMIN', roles: [expect.objectContaining({ global: false })] });
    const u2 = await recordSignIn(db, { requestId: `t2-${s}` }, identity(`t2@toggle-${s}.test`, connection));
    expect(await membershipsOf(u2.id)).toEqual([`${org.id}:ADMIN`]);
    expect(await rolesOf(u2.id)).toEqual([`${role.id}@${org.id}`]);

    const audit = await db.auditEvent.findMany({ where: { action: 'rule.updated', targetId: r.id }, orderBy: { id: 'asc' } });
    expect(audit).toHaveLength(2);
    expect(audit[0]!.before).toMatchObject({ enabled: true });
    expect(audit[0]!.after).toMatchObject({ enabled: false });
  });

  it('adds rules at the end, moves them up and down, and keeps positions dense through deletes', async () => {
    const ctx = await operatorContext();
    const s = randomSuffix();
    const a = await rule(ctx, { connection: `order-a-${s}` });
    const b = await rule(ctx, { connection: `order-b-${s}` });
    const c = await rule(ctx, { connection: `order-c-${s}` });
    const positions = async () => {
      const rows = await db.defaultRoleRule.findMany({ select: { id: true, position: true }, orderBy: { position: 'asc' } });
      return { all: rows.map((r) => r.position), of: (id: string) => rows.find((r) => r.id === id)!.position };
    };
    let p = await positions();
    expect(p.of(a.id)).toBeLessThan(p.of(b.id));
    expect(p.of(b.id)).toBeLessThan(p.of(c.id));

    // Move c up until it is above a (other test runs may add rules in between, so no fixed step count).
    for (let i = 0; i < 1000 && (await positions()).of(c.id) > (await positions()).of(a.id); i++) {
      const moved = await moveRule(ctx, { ruleId: c.id, direction: 'up' });
      expect(moved.moved).toBe(true);
    }
    p = await positions();
    expect(p.of(c.id)).toBeLessThan(p.of(a.id));
    expect(p.all).toEqual(p.all.map((_, i) => i + 1));
    const moved = await db.auditEvent.findFirstOrThrow({ where: { action: 'rule.updated', targetId: c.id } });
    expect(moved.after).toMatchObject({ position: expect.any(Number) });

    // Down swaps with the rule below.
    const below = await db.defaultRoleRule.findFirstOrThrow({ where: { position: p.of(c.id) + 1 } });
    await moveRule(ctx, { ruleId: c.id, direction: 'down' });
    expect((await db.defaultRoleRule.findUniqueOrThrow({ where: { id: below.id } })).position).toBe(p.of(c.id));

    await deleteRule(ctx, { ruleId: b.id });
    p = await positions();
    expect(p.all).toEqual(p.all.map((_, i) => i + 1));
    expect(await getRule(ctx, b.id)).toBeNull();
    expect(await db.auditEvent.count({ where: { action: 'rule.deleted', targetId: b.id } })).toBe(1);
    expect(codeOf(await deleteRule(ctx, { ruleId: b.id }).catch((e) => e))).toBe('NOT_FOUND');

    const page = await listRules(ctx, { limit: 2 });
    expect(page.items.map((r) => r.position)).toEqual([1, 2]);
    if (page.nextCursor) expect((await listRules(ctx, { limit: 2, cursor: page.nextCursor })).items[0]!.position).toBe(3);
  });

  it('keeps positions dense when rules are created concurrently', async () => {
    const ctx = await operatorContext();
    const s = randomSuffix();
    await Promise.all(Array.from({ length: 5 }, (_, i) => rule(ctx, { connection: `conc-create-${s}-${i}` })));
    const rows = await db.defaultRoleRule.findMany({ select: { position: true }, orderBy: { position: 'asc' } });
    expect(rows.map((r) => r.position)).toEqual(rows.map((_, i) => i + 1));
  });
});
