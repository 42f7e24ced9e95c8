/**
 * Seeds a large dataset for benchmarks: about 1,000 orgs, 100,000 users, 300,000 memberships, 50 applications,
 * 200 roles (with permissions on 5 APIs and application links), 100,000 org-scoped and 5,000 global role
 * assignments, 200 M2M clients with roles in a few orgs each; orgs and users created over the last 120 days.
 * With `events` (the command line, bench:platform): 1,000,000 login events and 1,000,000 audit events spread over
 * the last 90 days, and 20,000 invitations. Set-based SQL (generate_series), so it takes seconds to a few minutes.
 * Run: DATABASE_URL=postgresql://…/db npx tsx scripts/seed-large.ts  (refuses a non-local database)
 */
import pg from 'pg';
import { assertLocalDatabase } from '@/tests/test-db';

export const LARGE = {
  orgs: 1_000,
  users: 100_000,
  membershipsPerUser: 3,
  apps: 50,
  roles: 200,
  apis: 5,
  clients: 200,
  loginEvents: 1_000_000,
  auditEvents: 1_000_000,
  invitations: 20_000,
  days: 90,
};

export async function seedLarge(databaseUrl: string, log: (s: string) => void = console.log, options: { events?: boolean } = {}): Promise<void> {
  assertLocalDatabase(databaseUrl);
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  const t0 = Date.now();
  const step = async (what: string, sql: string) => {
    const t = Date.now();
    const r = await c.query(sql);
    log(`  ${what}: ${r.rowCount ?? 0} rows in ${Date.now() - t} ms`);
  };
  try {
    await c.query('BEGIN');
    await step(
      'orgs',
      `INSERT INTO orgs (id, slug, name, created_at)
       SELECT gen_random_uuid(), 'org-' || g, 'Org ' || g, now() - make_interval(secs => (g::bigint * 7919) % (120 * 86400))
       FROM generate_series(1, ${LARGE.orgs}) g`,
    );
    await step(
      'users',
      `INSERT INTO users (id, sub, email, name, email_verified, connection, last_login_at, created_at)
       SELECT gen_random_uuid(), 'auth0|large-' || g, 'user' || g || '@large.test', 'User ' || lpad(g::text, 6, '0'), true,
              CASE WHEN g % 10 = 0 THEN 'corp-azure-ad' ELSE 'Username-Password-Authentication' END,
              CASE WHEN g % 3 = 0 THEN NULL ELSE now() - (g || ' minutes')::interval END,
              now() - make_interval(secs => (g::bigint * 7919) % (120 * 86400))
       FROM generate_series(1, ${LARGE.users}) g`,
    );
    await step(
      'memberships',
      `INSERT INTO memberships (id, org_id, user_id, tier)
       SELECT gen_random_uuid(), o.id, u.id, (CASE WHEN k = 0 AND g % 100 = 1 THEN 'OWNER' WHEN k = 0 AND g % 10 = 2 THEN 'ADMIN' ELSE 'EMPLOYEE' END)::"Tier"
       FROM generate_series(1, ${LARGE.users}) g
       CROSS JOIN generate_series(0, ${LARGE.membershipsPerUser - 1}) k
       JOIN users u ON u.sub = 'auth0|large-' || g
       JOIN orgs o ON o.slug = 'org-' || (((g + k * 337) % ${LARGE.orgs}) + 1)`,
    );
    await step(
      'built-in tier roles (if missing)',
      `INSERT INTO roles (id, key, name, description, built_in, tier) VALUES
         (gen_random_uuid(), 'org:owner', 'Org owner', 'Owners of an organization', true, 'OWNER'),
         (gen_random_uuid(), 'org:admin', 'Org admin', 'Admins of an organization', true, 'ADMIN'),
         (gen_random_uuid(), 'org:employee', 'Org employee', 'Employees of an organization', true, 'EMPLOYEE')
       ON CONFLICT DO NOTHING`,
    );
    await step('apis', `INSERT INTO apis (id, identifier, name) SELECT gen_random_uuid(), 'https://api' || g || '.large.test', 'API ' || g FROM generate_series(1, ${LARGE.apis}) g`);
    await step(
      'permissions',
      `INSERT INTO permissions (id, api_id, value) SELECT gen_random_uuid(), a.id, v || ':thing' || n
       FROM apis a CROSS JOIN unnest(ARRAY['read','write']) v CROSS JOIN generate_series(1, 10) n WHERE a.identifier LIKE '%.large.test'`,
    );
    await step('roles', `INSERT INTO roles (id, key, name, description) SELECT gen_random_uuid(), 'large-role-' || g, 'Large role ' || lpad(g::text, 3, '0'), 'Seeded' FROM generate_series(1, ${LARGE.roles}) g`);
    await step(
      'role permissions',
      `INSERT INTO role_permissions (role_id, permission_id)
       SELECT r.id, p.id FROM roles r JOIN LATERAL (SELECT id FROM permissions ORDER BY md5(r.key || id::text) LIMIT 3) p ON true
       WHERE r.key LIKE 'large-role-%' OR r.tier IS NOT NULL
       ON CONFLICT DO NOTHING`,
    );
    await step(
      'applications',
      `INSERT INTO applications (id, name, type, client_id, access_policy)
       SELECT gen_random_uuid(), 'App ' || lpad(g::text, 2, '0'), (ARRAY['SPA','REGULAR_WEB','NATIVE'])[1 + g % 3]::"AppType", 'largeApp' || g,
              (ARRAY['OPEN','ANY_ROLE','ANY_ROLE','ALL_ROLES'])[1 + g % 4]::"AccessPolicy"
       FROM generate_series(1, ${LARGE.apps}) g`,
    );
    await step(
      'M2M clients',
      `INSERT INTO applications (id, name, type, client_id, access_policy)
       SELECT gen_random_uuid(), 'Worker ' || lpad(g::text, 3, '0'), 'M2M', 'largeWorker' || g, 'ANY_ROLE' FROM generate_series(1, ${LARGE.clients}) g`,
    );
    await step(
      'role → application links',
      `INSERT INTO role_applications (role_id, application_id)
       SELECT r.id, a.id FROM roles r JOIN applications a ON a.client_id LIKE 'largeApp%'
       WHERE r.key LIKE 'large-role-%' AND abs(hashtext(r.key || a.client_id)) % 40 = 0`,
    );
    await step(
      'org role assignments (users)',
      `INSERT INTO role_assignments (id, role_id, user_id, org_id)
       SELECT gen_random_uuid(), r.id, m.user_id, m.org_id
       FROM (SELECT user_id, org_id, row_number() OVER () AS n FROM memberships) m
       JOIN roles r ON r.key = 'large-role-' || (1 + m.n % ${LARGE.roles})
       WHERE m.n % 3 = 0`,
    );
    await step(
      'global role assignments (users)',
      `INSERT INTO role_assignments (id, role_id, user_id, org_id)
       SELECT gen_random_uuid(), r.id, u.id, NULL FROM users u JOIN roles r ON r.key = 'large-role-' || (1 + abs(hashtext(u.sub)) % ${LARGE.roles})
       WHERE u.sub LIKE 'auth0|large-%' AND abs(hashtext(u.sub || 'g')) % 20 = 0`,
    );
    await step(
      'org role assignments (clients)',
      `INSERT INTO role_assignments (id, role_id, client_app_id, org_id)
       SELECT gen_random_uuid(), r.id, a.id, o.id FROM applications a
       CROSS JOIN generate_series(0, 2) k
       JOIN orgs o ON o.slug = 'org-' || (1 + (abs(hashtext(a.client_id)) + k * 101) % ${LARGE.orgs})
       JOIN roles r ON r.key = 'large-role-' || (1 + (abs(hashtext(a.client_id)) + k) % ${LARGE.roles})
       WHERE a.type = 'M2M' AND a.client_id LIKE 'largeWorker%'`,
    );
    await c.query('COMMIT');
    if (options.events) await seedEvents(step, c);
    await c.query('ANALYZE');
    log(`seeded the large dataset in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    await c.end();
  }
}

/**
 * A million sign-ins and a million audit events over the last LARGE.days days, plus invitations, each in its own
 * transaction. User n's events name one of user n's orgs (the memberships above put user n in orgs n, n+337, n+674
 * mod 1,000); applications are skewed (a few get most sign-ins) so the stacked chart has a shape. The arrays of
 * ids are read once, so each generated row is an array index, not a join.
 */
async function seedEvents(step: (what: string, sql: string) => Promise<void>, c: pg.Client): Promise<void> {
  const ids = `(SELECT array_agg(id ORDER BY substring(sub from 13)::int) AS ids FROM users WHERE sub LIKE 'auth0|large-%') ua,
     (SELECT array_agg(id ORDER BY substring(slug from 5)::int) AS ids FROM orgs WHERE slug ~ '^org-[0-9]+$') oa`;
  // User number n = 1 + g % users; their org k (0..2) is number ((n + k*337) % orgs) + 1.
  const userOf = `ua.ids[1 + g % ${LARGE.users}]`;
  const orgOf = `oa.ids[1 + ((1 + g % ${LARGE.users}) + (g / 7 % ${LARGE.membershipsPerUser}) * 337) % ${LARGE.orgs}]`;
  const at = `now() - make_interval(secs => (g::bigint * 104729) % (${LARGE.days} * 86400))`;
  await c.query('BEGIN');
  await step(
    'login events (the rollup triggers aggregate them)',
    `INSERT INTO login_events (user_id, org_id, client_id, kind, at)
     SELECT ${userOf}, CASE WHEN g % 20 = 0 THEN NULL ELSE ${orgOf} END,
            'largeApp' || (1 + floor(${LARGE.apps} * power((g::bigint * 48271 % 1000003) / 1000003.0, 2)))::int,
            (CASE WHEN g % 10 = 0 THEN 'REFRESH' ELSE 'SIGN_IN' END)::"LoginKind", ${at}
     FROM generate_series(1, ${LARGE.loginEvents}) g, ${ids}`,
  );
  await c.query('COMMIT');
  await c.query('BEGIN');
  await step(
    'audit events',
    `INSERT INTO audit_events (at, actor_type, actor_id, actor_label, org_id, action, target_type, target_id, after, request_id)
     SELECT ${at}, 'user', ${userOf}, 'user' || (1 + g % ${LARGE.users}) || '@large.test',
            CASE WHEN g % 25 = 0 THEN NULL ELSE ${orgOf} END,
            (ARRAY['member.added','member.tier_changed','member.roles_changed','invitation.created','invitation.accepted','assignment.created','org.updated','platform.viewed'])[1 + g % 8],
            'user', (${userOf})::text, jsonb_build_object('seed', g), 'large-' || g
     FROM generate_series(1, ${LARGE.auditEvents}) g, ${ids}`,
  );
  await c.query('COMMIT');
  await step(
    'invitations (60% accepted)',
    `INSERT INTO invitations (id, org_id, email, tier, token_hash, expires_at, accepted_at, created_at, last_sent_at)
     SELECT gen_random_uuid(), oa.ids[1 + g % ${LARGE.orgs}], 'invitee' || g || '@large.test', 'EMPLOYEE', encode(sha256(('large-invitation-' || g)::bytea), 'hex'),
            t + interval '7 days', CASE WHEN g % 5 < 3 THEN t + make_interval(secs => g % 86400) END, t, t
     FROM generate_series(1, ${LARGE.invitations}) g, ${ids},
          LATERAL (SELECT now() - make_interval(secs => (g::bigint * 104729) % (${LARGE.days} * 86400)) AS t) tt`,
  );
}

/** Whether the database holds the large seed (its orgs; with `events`, its login events too), for benches that reuse it. */
export async function largeSeeded(databaseUrl: string, options: { events?: boolean } = {}): Promise<boolean> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const count = (sql: string) => c.query<{ n: number }>(sql).then((r) => r.rows[0]?.n ?? 0, () => 0);
    if ((await count(`SELECT count(*)::int AS n FROM orgs WHERE slug ~ '^org-[0-9]+$'`)) < LARGE.orgs) return false;
    return !options.events || (await count(`SELECT count(*)::int AS n FROM (SELECT 1 FROM login_events LIMIT ${LARGE.loginEvents}) x`)) >= LARGE.loginEvents;
  } finally {
    await c.end();
  }
}

if (require.main === module) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('Set DATABASE_URL to a local PostgreSQL database to seed.');
    process.exit(1);
  }
  seedLarge(url, console.log, { events: true }).catch((e: Error) => {
    console.error(`seed failed: ${e.message}`);
    process.exit(1);
  });
}
