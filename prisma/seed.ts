import { recordAudit } from '@/lib/audit';
import type { Db } from '@/lib/db';
import { DEMO_ACCOUNTS } from '@/lib/embedded/demo-accounts';
import type { PlatformRole, Tier } from '@/lib/authz/permissions';
import { ensureBuiltInRoles } from './factories';

/**
 * Demo data for the embedded defaults: two orgs, the demo accounts in every tier and platform role, an API with
 * permissions, roles mapped to applications, an M2M client with a role in one org, and default-role rules.
 * Runs once: a database that already has the demo org is left alone.
 */
const MEMBERSHIPS: Record<string, { org: 'acme' | 'globex'; tier: Tier }[]> = {
  'auth0|demo-owner': [{ org: 'acme', tier: 'OWNER' }],
  'auth0|demo-admin': [{ org: 'acme', tier: 'ADMIN' }],
  'auth0|demo-employee': [{ org: 'acme', tier: 'EMPLOYEE' }],
  'auth0|demo-multi': [
    { org: 'acme', tier: 'ADMIN' },
    { org: 'globex', tier: 'OWNER' },
  ],
};

const PLATFORM: Record<string, PlatformRole> = {
  'auth0|demo-staff': 'STAFF',
  'auth0|demo-operator': 'OPERATOR',
  'auth0|demo-superadmin': 'SUPERADMIN',
};

export async function seedDemo(db: Db, log: (line: string) => void = () => {}): Promise<boolean> {
  await ensureBuiltInRoles(db);
  if (await db.org.findUnique({ where: { slug: 'acme' }, select: { id: true } })) {
    log('demo data already present');
    return false;
  }
  await db.$transaction(
    async (tx) => {
      const actor = { type: 'system' as const, label: 'demo seed' };
      const acme = await tx.org.create({ data: { slug: 'acme', name: 'Acme Corp' } });
      const globex = await tx.org.create({ data: { slug: 'globex', name: 'Globex' } });
      const orgs = { acme, globex };
      for (const org of [acme, globex]) {
        await recordAudit(tx, { actor, orgId: org.id, action: 'org.created', target: { type: 'org', id: org.id }, after: { name: org.name, slug: org.slug } });
      }

      const users = new Map<string, { id: string; email: string }>();
      for (const a of DEMO_ACCOUNTS) {
        const u = await tx.user.create({
          data: {
            sub: a.sub,
            email: a.email.toLowerCase(),
            name: a.name,
            emailVerified: a.emailVerified,
            connection: a.connection,
            platformRole: PLATFORM[a.sub] ?? 'NONE',
          },
        });
        users.set(a.sub, u);
        for (const m of MEMBERSHIPS[a.sub] ?? []) {
          const org = orgs[m.org];
          await tx.membership.create({ data: { orgId: org.id, userId: u.id, tier: m.tier } });
          await recordAudit(tx, {
            actor,
            orgId: org.id,
            action: 'member.added',
            target: { type: 'user', id: u.id },
            after: { email: u.email, tier: m.tier },
          });
        }
      }

      const api = await tx.api.create({
        data: {
          identifier: 'https://api.acme.test',
          name: 'Acme API',
          description: 'The product API that backends check against.',
          permissions: {
            create: [
              { value: 'read:config', description: 'Read configuration' },
              { value: 'write:config', description: 'Change configuration' },
              { value: 'read:reports', description: 'Read reports' },
              { value: 'manage:billing', description: 'Manage billing' },
            ],
          },
        },
        include: { permissions: true },
      });
      const perm = (v: string) => api.permissions.find((p) => p.value === v)!.id;

      const adminPortal = await tx.application.create({
        data: { name: 'Admin Portal', type: 'REGULAR_WEB', clientId: 'demoAdminPortal', accessPolicy: 'ANY_ROLE', description: 'Back office; needs a role.' },
      });
      const dashboard = await tx.application.create({
        data: { name: 'Customer Dashboard', type: 'SPA', clientId: 'demoDashboard', accessPolicy: 'OPEN', description: 'Open to every member.' },
      });
      const billing = await tx.application.create({
        data: { name: 'Billing', type: 'REGULAR_WEB', clientId: 'demoBilling', accessPolicy: 'ALL_ROLES', description: 'Needs every mapped role.' },
      });
      const reporter = await tx.application.create({
        data: { name: 'Reporting Service', type: 'M2M', clientId: 'demoReportingService', accessPolicy: 'ANY_ROLE', description: 'Nightly reports (machine to machine).' },
      });
      await tx.application.create({
        data: { name: 'Field App', type: 'NATIVE', clientId: 'demoFieldApp', accessPolicy: 'OPEN', description: 'Mobile app.' },
      });

      const mkRole = (key: string, name: string, description: string, permissions: string[], applications: string[]) =>
        tx.role.create({
          data: {
            key,
            name,
            description,
            permissions: { create: permissions.map((p) => ({ permissionId: perm(p) })) },
            applications: { create: applications.map((applicationId) => ({ applicationId })) },
          },
        });
      const internal = await mkRole('internal', 'INTERNAL', 'Staff of the vendor, signing in through the corporate directory.', ['read:config', 'read:reports'], [adminPortal.id]);
      const customer = await mkRole('customer', 'CUSTOMER', 'Customers of the product.', ['read:config'], [dashboard.id]);
      const configAdmin = await mkRole('config-admin', 'Config admin', 'Changes configuration.', ['read:config', 'write:config'], [adminPortal.id]);
      const billingAdmin = await mkRole('billing-admin', 'Billing admin', 'Manages billing.', ['manage:billing'], [billing.id]);
      const reportReader = await mkRole('report-reader', 'Report reader', 'Reads reports (for M2M clients).', ['read:reports'], [reporter.id]);
      await tx.roleApplication.create({ data: { roleId: configAdmin.id, applicationId: billing.id } });
      const ownerRole = await tx.role.findUniqueOrThrow({ where: { key: 'org:owner' } });
      await tx.rolePermission.createMany({ data: ['read:config', 'write:config', 'read:reports'].map((p) => ({ roleId: ownerRole.id, permissionId: perm(p) })) });
      await tx.roleApplication.create({ data: { roleId: ownerRole.id, applicationId: adminPortal.id } });

      const assign = async (roleId: string, subject: { userId?: string; clientAppId?: string }, orgId: string | null) => {
        const a = await tx.roleAssignment.create({ data: { roleId, ...subject, orgId } });
        await recordAudit(tx, { actor, orgId, action: 'assignment.created', target: { type: 'assignment', id: a.id }, after: { roleId, ...subject, orgId } });
      };
      await assign(configAdmin.id, { userId: users.get('auth0|demo-admin')!.id }, acme.id);
      await assign(billingAdmin.id, { userId: users.get('auth0|demo-owner')!.id }, acme.id);
      await assign(configAdmin.id, { userId: users.get('auth0|demo-multi')!.id }, globex.id);
      await assign(customer.id, { userId: users.get('auth0|demo-employee')!.id }, null);
      await assign(reportReader.id, { clientAppId: reporter.id }, acme.id);

      const rule1 = await tx.defaultRoleRule.create({
        data: {
          name: 'Corporate directory users are INTERNAL in Acme',
          position: 1,
          // The demo's rules run (new rules start disabled, ADR 0013).
          enabled: true,
          connection: 'corp-azure-ad',
          orgId: acme.id,
          tier: 'EMPLOYEE',
          stop: true,
          roles: { create: [{ roleId: internal.id, global: false }] },
        },
      });
      const rule2 = await tx.defaultRoleRule.create({
        data: { name: 'Everyone else is a CUSTOMER', position: 2, enabled: true, roles: { create: [{ roleId: customer.id, global: true }] } },
      });
      for (const r of [rule1, rule2]) {
        await recordAudit(tx, { actor, action: 'rule.created', target: { type: 'rule', id: r.id }, after: { name: r.name, position: r.position } });
      }
      // The demo accounts are made here, not by a first sign-in, so the rules never ran for them. Ivan (corporate
      // directory) gets what rule 1 gives on a first sign-in: Acme as employee with INTERNAL there.
      const ivan = users.get('waad|corp-azure-ad|demo-internal')!;
      const ruleActor = { type: 'system' as const, label: `default-role rule “${rule1.name}”` };
      await tx.membership.create({ data: { orgId: acme.id, userId: ivan.id, tier: 'EMPLOYEE' } });
      await recordAudit(tx, {
        actor: ruleActor,
        orgId: acme.id,
        action: 'member.added',
        target: { type: 'user', id: ivan.id },
        after: { email: ivan.email, tier: 'EMPLOYEE', via: 'rule', ruleId: rule1.id },
      });
      const ivanInternal = await tx.roleAssignment.create({ data: { roleId: internal.id, userId: ivan.id, orgId: acme.id } });
      await recordAudit(tx, {
        actor: ruleActor,
        orgId: acme.id,
        action: 'assignment.created',
        target: { type: 'assignment', id: ivanInternal.id },
        after: { roleId: internal.id, userId: ivan.id, orgId: acme.id, via: 'rule', ruleId: rule1.id },
      });
    },
    { timeout: 60_000 },
  );
  log('demo data seeded');
  return true;
}

async function main() {
  const { createDb } = await import('@/lib/db');
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const db = createDb(url, { max: 2 });
  try {
    await seedDemo(db, (l) => console.log(l));
  } finally {
    await db.$disconnect();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
