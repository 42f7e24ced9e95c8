import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { addMember, createOrg, createUser, randomSuffix, seedOrgWithTiers } from '@/prisma/factories';
import { applyNextBatch, getImportJob, listImportRows, requestCancel, requestRun, runImport, stageImport } from './jobs';
import { describeIssue, ImportFileError, parseImportFile, type ParsedFile } from './parse';
import type { Importer } from './plan';

/*
 * The file contract is RFC 4180 (https://datatracker.ietf.org/doc/rfc4180, section 2): records separated by line
 * breaks, a header record first, fields containing commas, line breaks or double quotes enclosed in double quotes,
 * and a double quote inside such a field escaped by a second one ("b""bb"). papaparse implements it; its pipe mode
 * drops per-row errors (https://github.com/mholt/PapaParse/issues/754), which is why parse.ts hands it a Readable
 * with a `step` callback, which reports MissingQuotes/InvalidQuotes for each row.
 */

const bytes = (s: string | Buffer) => Readable.from([typeof s === 'string' ? Buffer.from(s, 'utf8') : s]);
const parse = (s: string | Buffer, fileName = 'people.csv', impliedOrgSlug?: string) => parseImportFile(bytes(s), { fileName, impliedOrgSlug });

async function refusal(s: string | Buffer, opts: { fileName?: string; maxRows?: number; maxBytes?: number } = {}): Promise<string> {
  try {
    await parseImportFile(bytes(s), { fileName: opts.fileName ?? 'people.csv', maxRows: opts.maxRows, maxBytes: opts.maxBytes });
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileError);
    return (error as Error).message;
  }
  throw new Error('the file was accepted');
}

async function operator(): Promise<Importer> {
  const u = await createUser(db, { platformRole: 'OPERATOR' });
  return { kind: 'platform_user', userId: u.id, label: u.email };
}

async function counts(orgIds: string[]) {
  const [memberships, assignments, audit] = await Promise.all([
    db.membership.count({ where: { orgId: { in: orgIds } } }),
    db.roleAssignment.count({ where: { orgId: { in: orgIds } } }),
    db.auditEvent.count({ where: { orgId: { in: orgIds } } }),
  ]);
  return { memberships, assignments, audit };
}

async function role(): Promise<string> {
  const key = `imp-${randomSuffix()}`;
  await db.role.create({ data: { key, name: key } });
  return key;
}

const enqueueNothing = async () => {};

async function stage(importer: Importer, parsed: ParsedFile, orgId: string | null = null) {
  return stageImport(db, { importer, fileName: 'people.csv', parsed, orgId });
}

describe('import file parsing (streamed, RFC 4180)', () => {
  it('reads quoted cells with commas, doubled quotes and line breaks, a BOM, CRLF, and formula-looking text as text', async () => {
    const csv = '\uFEFFemail,name,org,tier,roles\r\n"a@example.test","Doe, ""J""",acme,admin,"r1;\nr2"\r\nb@example.test,=HYPERLINK("x"),acme,,\r\n';
    const parsed = await parse(csv);
    expect(parsed.rows).toHaveLength(2);
    expect(parsed.rows[0]).toMatchObject({ rowNo: 2, email: 'a@example.test', name: 'Doe, "J"', orgSlug: 'acme', tier: 'ADMIN', roles: ['r1', 'r2'], errors: [] });
    // A line break inside a quoted cell keeps one record, so the next person is row 3.
    expect(parsed.rows[1]).toMatchObject({ rowNo: 3, name: '=HYPERLINK("x")', tier: null, errors: [] });
    expect(parsed.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses each bad file with the row and column', async () => {
    expect(await refusal('email,org\na@example.test,"acme\nb@example.test,acme\n')).toBe(
      'Row 2, column org: a quoted cell is not closed (unbalanced quotes); every " that opens a cell must close it, and a quote inside a cell is written "".',
    );
    expect(await refusal(Buffer.concat([Buffer.from('email,org\na@example.test,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]))).toMatch(/^Row 2: the file is not UTF-8 text/);
    expect(await refusal(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]))).toMatch(/^Row 3: this is a binary file/);
    expect(await refusal('email,org,team\n')).toBe('Row 1: unknown column "team"; the columns are email, name, org, tier, roles, connection.');
    expect(await refusal('name,org\nx,acme\n')).toBe('Row 1, column email: the column is missing; the header row must name an email column.');
    expect(await refusal('email\nx@example.test\n')).toBe('Row 1, column org: the column is missing; give each person an org slug.');
    expect(await refusal('email,org\na@example.test,acme\nb@example.test,acme\nc@example.test,acme\n', { maxRows: 2 })).toBe(
      'Row 4: the file has more than 2 people; split it into smaller files.',
    );
    expect(await refusal('email,org\n' + 'a@example.test,acme\n'.repeat(10), { maxBytes: 64 })).toMatch(/larger than .* MB/);
    expect(await refusal('{"email":"a@example.test","org":"acme","team":"x"}\n', { fileName: 'p.jsonl' })).toBe(
      'Row 1: unknown field "team"; the fields are email, name, org, tier, roles, connection.',
    );
    expect(await refusal('')).toBe('Row 1: the file is empty; the first row must name the columns.');
  });

  it('refuses 100,001 rows and a 51 MB file at the real limits', async () => {
    const row = 'someone@example.test,acme\n';
    expect(await refusal('email,org\n' + row.repeat(100_001))).toBe('Row 100002: the file has more than 100,000 people; split it into smaller files.');
    const big = Buffer.alloc(51 * 1024 * 1024, 'a');
    expect(await refusal(big)).toMatch(/larger than 50 MB/);
  });

  it('keeps cell problems on their rows: bad email, tier, duplicates, wrong org on an org screen', async () => {
    const parsed = await parse('email,org,tier\nnot-an-email,acme,\na@example.test,acme,boss\nA@example.test,acme,\nb@example.test,other,\n', 'x.csv', 'acme');
    expect(parsed.rows.map((r) => r.errors.map((e) => describeIssue({ row: r.rowNo, ...e })))).toEqual([
      ['Row 2, column email: "not-an-email" is not an email address.'],
      ['Row 3, column tier: "BOSS" is not a tier (owner, admin or employee).'],
      ['Row 4, column email: this person is already in row 3 for the same org.'],
      ['Row 5, column org: this screen imports into acme only.'],
    ]);
  });
});

describe('import jobs', () => {
  it('a dry run writes nothing but the plan; the run applies it with audit; a second run changes nothing', async () => {
    const importer = await operator();
    const org = await createOrg(db);
    const [r1, r2] = [await role(), await role()];
    const existing = await createUser(db);
    await addMember(db, org.id, existing.id, 'EMPLOYEE');
    const s = randomSuffix();
    const csv = [
      'email,name,org,tier,roles',
      `new-${s}@example.test,New Person,${org.slug},admin,${r1};${r2}`,
      `${existing.email},,${org.slug},admin,${r1}`,
      `bad-${s}@example.test,,${org.slug},employee,no-such-role`,
      `ghost-${s}@example.test,,nowhere-${s},employee,`,
      `=cmd-${s}@example.test,=1+1,${org.slug},,`,
    ].join('\n');
    const before = await counts([org.id]);
    const usersBefore = await db.user.count({ where: { email: { contains: s } } });
    const job = await stage(importer, await parse(csv));
    expect(job.status).toBe('PLANNED');
    expect(job.plan).toMatchObject({ rows: 5, create: 2, update: 1, error: 2, newUsers: 2, newMemberships: 2, tierChanges: 1, roleGrants: 3 });
    expect(await counts([org.id])).toEqual(before);
    expect(await db.user.count({ where: { email: { contains: s } } })).toBe(usersBefore);
    const report = await listImportRows(db, job.id);
    expect(report.items.map((r) => [r.row, r.outcome, r.message])).toEqual([
      [2, 'create', `New person; joins ${org.slug} as admin; gets ${r1}, ${r2}`],
      [3, 'update', `Employee → admin; gets ${r1}`],
      [4, 'error', 'roles: no role has the key "no-such-role".'],
      [5, 'error', `org: no organization has the slug "nowhere-${s}".`],
      [6, 'create', `New person; joins ${org.slug} as employee`],
    ]);

    await requestRun(db, job.id, { platform: true }, { requestId: 'r1' }, enqueueNothing);
    expect(await runImport(db, job.id, { batchSize: 2 })).toBe('SUCCEEDED');
    const done = (await getImportJob(db, job.id))!;
    expect(done).toMatchObject({ status: 'SUCCEEDED', done: 5, total: 5 });
    expect(done.applied).toMatchObject({ newUsers: 2, newMemberships: 2, tierChanges: 1, roleGrants: 3, error: 2 });
    const created = await db.user.findFirstOrThrow({ where: { email: `new-${s}@example.test` }, include: { memberships: true, assignments: { include: { role: true } } } });
    expect(created.sub).toBe(`import|new-${s}@example.test`);
    expect(created.memberships).toMatchObject([{ orgId: org.id, tier: 'ADMIN' }]);
    expect(created.assignments.map((a) => a.role.key).sort()).toEqual([r1, r2].sort());
    // Formula-looking cells are stored as the text they are.
    expect((await db.user.findFirstOrThrow({ where: { email: `=cmd-${s}@example.test` } })).name).toBe('=1+1');
    expect((await db.membership.findFirstOrThrow({ where: { orgId: org.id, userId: existing.id } })).tier).toBe('ADMIN');
    const audit = await db.auditEvent.groupBy({ by: ['action'], where: { OR: [{ orgId: org.id }, { targetId: job.id }] }, _count: true });
    expect(Object.fromEntries(audit.map((a) => [a.action, a._count]))).toEqual({
      'import.started': 1,
      'import.finished': 1,
      'member.added': 2,
      'member.tier_changed': 1,
      'assignment.created': 3,
    });

    // The same file again: everything unchanged, nothing written.
    const after = await counts([org.id]);
    const again = await stage(importer, await parse(csv));
    expect(again.plan).toMatchObject({ create: 0, update: 0, unchanged: 3, error: 2 });
    await requestRun(db, again.id, { platform: true }, { requestId: 'r2' }, enqueueNothing);
    expect(await runImport(db, again.id)).toBe('SUCCEEDED');
    expect((await getImportJob(db, again.id))!.applied).toMatchObject({ newUsers: 0, newMemberships: 0, tierChanges: 0, roleGrants: 0, unchanged: 3 });
    const final = await counts([org.id]);
    expect({ ...final, audit: final.audit }).toEqual({ ...after, audit: after.audit });
  });

  it('the run rewrites a row only where it decides otherwise than the plan; rows are applied up to the resume point', async () => {
    const importer = await operator();
    const [org, other] = [await createOrg(db), await createOrg(db)];
    const s = randomSuffix();
    const later = `later-${s}`;
    const csv = ['email,org', `a-${s}@example.test,${org.slug}`, `b-${s}@example.test,${later}`, `a-${s}@example.test,${other.slug}`].join('\n');
    const job = await stage(importer, await parse(csv));
    const report = async () => (await listImportRows(db, job.id)).items.map((r) => [r.row, r.outcome, r.message, r.applied]);
    expect(await report()).toEqual([
      [2, 'create', `New person; joins ${org.slug} as employee`, false],
      [3, 'error', `org: no organization has the slug "${later}".`, false],
      [4, 'create', `New person; joins ${other.slug} as employee`, false],
    ]);
    await requestRun(db, job.id, { platform: true }, { requestId: 'r' }, enqueueNothing);
    // Between the dry run and the run the missing org appears; the first batch (one row) leaves the others as planned.
    await createOrg(db, { slug: later });
    expect(await applyNextBatch(db, job.id, 1)).toMatchObject({ rows: 1, finished: false });
    expect(await report()).toEqual([
      [2, 'create', `New person; joins ${org.slug} as employee`, true],
      [3, 'error', `org: no organization has the slug "${later}".`, false],
      [4, 'create', `New person; joins ${other.slug} as employee`, false],
    ]);
    expect(await runImport(db, job.id, { batchSize: 1 })).toBe('SUCCEEDED');
    // Row 3 is applied after all; row 4's person was created by row 2's batch, so it only joins.
    expect(await report()).toEqual([
      [2, 'create', `New person; joins ${org.slug} as employee`, true],
      [3, 'create', `New person; joins ${later} as employee`, true],
      [4, 'create', `Joins ${other.slug} as employee`, true],
    ]);
  });

  it('an admin never imports owners nor changes them; an owner may import owners', async () => {
    const { org, owner, admin } = await seedOrgWithTiers(db);
    const s = randomSuffix();
    const csv = `email,tier\nown-${s}@example.test,owner\nemp-${s}@example.test,employee\n${owner.email},admin\n`;
    const asAdmin: Importer = { kind: 'org_member', userId: admin.id, label: admin.email, orgId: org.id, orgSlug: org.slug };
    const job = await stage(asAdmin, await parse(csv, 'p.csv', org.slug), org.id);
    const rows = (await listImportRows(db, job.id)).items;
    expect(rows.map((r) => [r.row, r.outcome, r.message])).toEqual([
      [2, 'error', 'tier: you cannot make someone owner; admins never import owners.'],
      [3, 'create', `New person; joins ${org.slug} as employee`],
      [4, 'error', 'tier: this person is an owner; change owners on the members page.'],
    ]);
    await requestRun(db, job.id, { platform: false, orgId: org.id }, { requestId: 'r' }, enqueueNothing);
    await runImport(db, job.id);
    expect(await db.membership.count({ where: { orgId: org.id, tier: 'OWNER' } })).toBe(1);
    expect(await db.user.count({ where: { email: `own-${s}@example.test` } })).toBe(0);

    const asOwner: Importer = { kind: 'org_member', userId: owner.id, label: owner.email, orgId: org.id, orgSlug: org.slug };
    const ok = await stage(asOwner, await parse(`email,tier\nown-${s}@example.test,owner\n`, 'p.csv', org.slug), org.id);
    expect(ok.plan).toMatchObject({ create: 1, error: 0 });
  });

  it('a member of another org cannot import into this org, nor see its jobs', async () => {
    const a = await seedOrgWithTiers(db);
    const b = await seedOrgWithTiers(db);
    const asOtherOwner: Importer = { kind: 'org_member', userId: b.owner.id, label: b.owner.email, orgId: b.org.id, orgSlug: b.org.slug };
    // On their own org's screen the org column must be theirs; a platform-style file naming another org is refused per row.
    const parsed = await parse(`email,org\nx-${randomSuffix()}@example.test,${a.org.slug}\n`);
    const job = await stage(asOtherOwner, parsed, b.org.id);
    expect((await listImportRows(db, job.id)).items[0]).toMatchObject({ outcome: 'error', message: `org: you may import into ${b.org.slug} only.` });
    // An employee may not import at all.
    const asEmployee: Importer = { kind: 'org_member', userId: a.employee.id, label: a.employee.email, orgId: a.org.id, orgSlug: a.org.slug };
    await expect(stage(asEmployee, await parse(`email\nq-${randomSuffix()}@example.test\n`, 'p.csv', a.org.slug), a.org.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // Org A's admin sees none of org B's jobs.
    expect(await getImportJob(db, job.id, { platform: false, orgId: a.org.id })).toBeNull();
    await expect(requestRun(db, job.id, { platform: false, orgId: a.org.id }, { requestId: 'r' }, enqueueNothing)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('cancel stops after the batch in hand; a demoted importer stops the job', async () => {
    const importer = await operator();
    const org = await createOrg(db);
    const rows = Array.from({ length: 6 }, (_, i) => `c${i}-${randomSuffix()}@example.test,${org.slug}`).join('\n');
    const job = await stage(importer, await parse(`email,org\n${rows}\n`));
    await requestRun(db, job.id, { platform: true }, { requestId: 'r' }, enqueueNothing);
    expect(await applyNextBatch(db, job.id, 2)).toMatchObject({ rows: 2, finished: false });
    await requestCancel(db, job.id, { platform: true });
    expect(await applyNextBatch(db, job.id, 2)).toMatchObject({ rows: 0, finished: true, status: 'CANCELLED' });
    expect(await db.membership.count({ where: { orgId: org.id } })).toBe(2);

    const job2 = await stage(importer, await parse(`email,org\n${rows.replace(/c(\d)-/g, 'd$1-')}\n`));
    await requestRun(db, job2.id, { platform: true }, { requestId: 'r' }, enqueueNothing);
    if (importer.kind !== 'platform_user') throw new Error('unreachable');
    await db.user.update({ where: { id: importer.userId }, data: { platformRole: 'STAFF' } });
    expect(await applyNextBatch(db, job2.id, 2)).toMatchObject({ finished: true, status: 'FAILED' });
    expect(await db.membership.count({ where: { orgId: org.id } })).toBe(2);
  });

  it('fuzz: random bytes and malformed CSV are refused or staged, never thrown as anything else, and never change people', async () => {
    const importer = await operator();
    const org = await createOrg(db);
    const before = await counts([org.id]);
    const cell = fc.oneof(fc.constantFrom('"', '""', ',', '\n', '\r\n', '=', 'a@b.test', org.slug, 'admin', ';', '\u0000'), fc.string({ maxLength: 8 }));
    const csvish = fc.array(fc.array(cell, { maxLength: 6 }).map((c) => c.join('')), { maxLength: 8 }).map((lines) => `email,org,tier\n${lines.join('\n')}`);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)), csvish.map((s) => Buffer.from(s))), async (input) => {
        try {
          const parsed = await parseImportFile(bytes(input), { fileName: 'f.csv' });
          await stage(importer, parsed);
        } catch (error) {
          if (!(error instanceof ImportFileError)) throw error;
        }
      }),
      { numRuns: 150, seed: 15 },
    );
    expect(await counts([org.id])).toEqual(before);
    // Every job the fuzz staged is still a plan: staging never applies anything.
    expect(await db.job.count({ where: { createdById: importer.kind === 'platform_user' ? importer.userId : undefined, status: { not: 'PLANNED' } } })).toBe(0);
  });
});

describe('imported people signing in', () => {
  it('a first sign-in with the verified email claims the imported person, keeping their memberships and roles', async () => {
    const { recordSignIn } = await import('@/lib/provisioning/sign-in');
    const importer = await operator();
    const org = await createOrg(db);
    const key = await role();
    const email = `claim-${randomSuffix()}@example.test`;
    const job = await stage(importer, await parse(`email,org,roles\n${email},${org.slug},${key}\n`));
    await requestRun(db, job.id, { platform: true }, { requestId: 'r' }, enqueueNothing);
    await runImport(db, job.id);
    const imported = await db.user.findFirstOrThrow({ where: { email } });

    // An unverified email claims nothing: a new person is made.
    const unverified = await recordSignIn(db, { requestId: 's0' }, { sub: `auth0|u-${randomSuffix()}`, email, emailVerified: false, name: null, connection: null });
    expect(unverified.id).not.toBe(imported.id);

    const sub = `auth0|${randomSuffix()}`;
    const signedIn = await recordSignIn(db, { requestId: 's1' }, { sub, email, emailVerified: true, name: 'Claimed', connection: 'Username-Password-Authentication' });
    expect(signedIn).toMatchObject({ id: imported.id, sub, created: true });
    expect(await db.membership.count({ where: { userId: imported.id, orgId: org.id } })).toBe(1);
    expect(await db.roleAssignment.count({ where: { userId: imported.id, orgId: org.id } })).toBe(1);
  });
});
