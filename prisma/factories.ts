import { randomBytes } from 'node:crypto';
import type { Db, Tx } from '@/lib/db';
import type { PlatformRole, Tier } from '@/lib/authz/permissions';

/**
 * Factories shared by the demo seed and the tests. Every call makes fresh, randomly named rows, so tests can run in
 * parallel against one database and never need to truncate.
 */
type Client = Db | Tx;

export function randomSuffix(bytes = 5): string {
  return randomBytes(bytes).toString('hex');
}

export const BUILT_IN_ROLES = [
  { key: 'org:owner', name: 'Org owner', tier: 'OWNER', description: 'Every owner of an organization has this role there.' },
  { key: 'org:admin', name: 'Org admin', tier: 'ADMIN', description: 'Every admin of an organization has this role there.' },
  { key: 'org:employee', name: 'Org employee', tier: 'EMPLOYEE', description: 'Every employee of an organization has this role there.' },
] as const;

/** The three tier roles exist exactly once; safe to call repeatedly and concurrently. */
export async function ensureBuiltInRoles(db: Client): Promise<void> {
  for (const r of BUILT_IN_ROLES) {
    await db.role.upsert({
      where: { key: r.key },
      update: {},
      create: { key: r.key, name: r.name, description: r.description, tier: r.tier, builtIn: true },
    });
  }
}

export async function createUser(
  db: Client,
  overrides: Partial<{ sub: string; email: string; name: string; platformRole: PlatformRole; connection: string; emailVerified: boolean; blocked: boolean }> = {},
) {
  const s = randomSuffix();
  return db.user.create({
    data: {
      sub: overrides.sub ?? `auth0|test-${s}`,
      email: (overrides.email ?? `user-${s}@example.test`).toLowerCase(),
      name: overrides.name ?? `Test User ${s}`,
      emailVerified: overrides.emailVerified ?? true,
      connection: overrides.connection ?? 'Username-Password-Authentication',
      platformRole: overrides.platformRole ?? 'NONE',
      blockedAt: overrides.blocked ? new Date() : null,
    },
  });
}

export async function createOrg(db: Client, overrides: Partial<{ slug: string; name: string; suspended: boolean }> = {}) {
  const s = randomSuffix();
  return db.org.create({
    data: {
      slug: overrides.slug ?? `org-${s}`,
      name: overrides.name ?? `Org ${s}`,
      suspendedAt: overrides.suspended ? new Date() : null,
    },
  });
}

export async function addMember(db: Client, orgId: string, userId: string, tier: Tier) {
  return db.membership.create({ data: { orgId, userId, tier } });
}

/** An org with one member of each tier (and an outsider), for authorization tests. */
export async function seedOrgWithTiers(db: Client) {
  const org = await createOrg(db);
  const [owner, admin, employee] = await Promise.all([createUser(db), createUser(db), createUser(db)]);
  await addMember(db, org.id, owner.id, 'OWNER');
  await addMember(db, org.id, admin.id, 'ADMIN');
  await addMember(db, org.id, employee.id, 'EMPLOYEE');
  return { org, owner, admin, employee };
}
