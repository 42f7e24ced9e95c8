/**
 * In-process: Gatehouse's `decide` against node-casbin's RBAC-with-domains enforcer, both loaded with the same
 * data read from the large dataset (scripts/seed-large.ts), answering the same permission checks.
 * Used by bench:decisions; also runnable alone: DATABASE_URL=… npx tsx scripts/bench/decide-vs-casbin.ts
 */
import { newEnforcer, newModelFromString } from 'casbin';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { decide } from '@/lib/access/decide';
import type { AssignmentFact, CatalogRole, Tier } from '@/lib/access/types';

const MODEL = `
[request_definition]
r = sub, dom, obj, act
[policy_definition]
p = sub, dom, obj, act
[role_definition]
g = _, _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = (g(r.sub, p.sub, r.dom) || g(r.sub, p.sub, "*")) && r.obj == p.obj && r.act == p.act
`;

export interface CompareResult {
  checks: number;
  decideNsPerCall: number;
  casbinNsPerCall: number;
  casbinLoadMs: number;
  disagreements: number;
}

export async function compareDecideWithCasbin(databaseUrl: string, checks = 20_000, log: (s: string) => void = console.log): Promise<CompareResult> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  // One client, so one query at a time.
  const roles = await c.query<{ id: string; key: string; name: string; tier: Tier | null }>('SELECT id, key, name, tier::text AS tier FROM roles');
  const rolePerms = await c.query<{ role_id: string; audience: string; value: string }>(
    'SELECT rp.role_id, a.identifier AS audience, p.value FROM role_permissions rp JOIN permissions p ON p.id = rp.permission_id JOIN apis a ON a.id = p.api_id',
  );
  const memberships = await c.query<{ user_id: string; org_id: string; tier: Tier }>('SELECT user_id, org_id, tier::text AS tier FROM memberships');
  const assignments = await c.query<{ id: string; user_id: string; role_id: string; org_id: string | null }>(
    'SELECT id, user_id, role_id, org_id FROM role_assignments WHERE user_id IS NOT NULL AND (expires_at IS NULL OR expires_at > now())',
  );
  const orgs = await c.query<{ id: string; slug: string }>('SELECT id, slug FROM orgs');
  const users = await c.query<{ id: string }>('SELECT id FROM users WHERE blocked_at IS NULL');
  await c.end();

  const catalogRoles = new Map<string, CatalogRole>(
    roles.rows.map((r) => [r.id, { id: r.id, key: r.key, name: r.name, tier: r.tier, permissions: [], applicationIds: [] }]),
  );
  for (const p of rolePerms.rows) catalogRoles.get(p.role_id)?.permissions.push({ audience: p.audience, value: p.value });
  const catalog = { roles: catalogRoles };
  const tierRole = new Map([...catalogRoles.values()].filter((r) => r.tier).map((r) => [r.tier!, r]));
  const memberOf = new Map<string, Map<string, Tier>>();
  for (const m of memberships.rows) {
    let byOrg = memberOf.get(m.user_id);
    if (!byOrg) memberOf.set(m.user_id, (byOrg = new Map()));
    byOrg.set(m.org_id, m.tier);
  }
  const assignmentsOf = new Map<string, AssignmentFact[]>();
  for (const a of assignments.rows) {
    let list = assignmentsOf.get(a.user_id);
    if (!list) assignmentsOf.set(a.user_id, (list = []));
    list.push({ id: a.id, roleId: a.role_id, orgId: a.org_id, expiresAt: null });
  }
  const orgById = new Map(orgs.rows.map((o) => [o.id, o]));
  const roleKey = (id: string) => catalogRoles.get(id)!.key;

  // The same facts for casbin: g(user, role, org) for tier and org roles, g(user, role, "*") for global ones,
  // p(role, "*", audience, permission) for each role permission.
  let t = performance.now();
  const enforcer = await newEnforcer(newModelFromString(MODEL));
  const policies = rolePerms.rows.map((p) => [roleKey(p.role_id), '*', p.audience, p.value]);
  const grouping: string[][] = [];
  for (const m of memberships.rows) {
    const tr = tierRole.get(m.tier);
    if (tr) grouping.push([m.user_id, tr.key, m.org_id]);
  }
  for (const a of assignments.rows) grouping.push([a.user_id, roleKey(a.role_id), a.org_id ?? '*']);
  await enforcer.addPolicies(policies);
  await enforcer.addGroupingPolicies(grouping);
  const casbinLoadMs = performance.now() - t;
  log(`  casbin loaded ${policies.length} policies and ${grouping.length} role links in ${casbinLoadMs.toFixed(0)} ms`);

  // Checks: random (user, one of their orgs, some permission) triples; a third ask a permission they likely lack.
  const perms = rolePerms.rows;
  const queries: { user: string; org: string; audience: string; value: string }[] = [];
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const userIds = users.rows.map((u) => u.id).filter((id) => memberOf.has(id));
  while (queries.length < checks) {
    const user = userIds[rnd(userIds.length)]!;
    const orgIds = [...memberOf.get(user)!.keys()];
    const p = perms[rnd(perms.length)]!;
    queries.push({ user, org: orgIds[rnd(orgIds.length)]!, audience: p.audience, value: p.value });
  }

  const now = new Date();
  const answerDecide = (q: (typeof queries)[number]) => {
    const tier = memberOf.get(q.user)?.get(q.org) ?? null;
    const org = orgById.get(q.org)!;
    return decide({
      subject: { kind: 'user', id: q.user, blocked: false, membership: tier ? { orgId: q.org, tier } : null, assignments: assignmentsOf.get(q.user) ?? [] },
      org: { id: org.id, slug: org.slug, suspended: false },
      target: { kind: 'permission', audience: q.audience, permission: q.value },
      now,
      catalog,
    }).allow;
  };
  // Warm both up, then time each over the same queries.
  for (const q of queries.slice(0, 2000)) {
    answerDecide(q);
    enforcer.enforceSync(q.user, q.org, q.audience, q.value);
  }
  t = performance.now();
  const fromDecide = queries.map(answerDecide);
  const decideMs = performance.now() - t;
  t = performance.now();
  const fromCasbin = queries.map((q) => enforcer.enforceSync(q.user, q.org, q.audience, q.value));
  const casbinMs = performance.now() - t;
  const disagreements = fromDecide.filter((a, i) => a !== fromCasbin[i]).length;
  return {
    checks,
    decideNsPerCall: (decideMs * 1e6) / checks,
    casbinNsPerCall: (casbinMs * 1e6) / checks,
    casbinLoadMs,
    disagreements,
  };
}

if (require.main === module) {
  compareDecideWithCasbin(process.env.DATABASE_URL!)
    .then((r) => console.log(r))
    .catch((e: Error) => {
      console.error(e.message);
      process.exit(1);
    });
}
