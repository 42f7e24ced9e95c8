import pg from 'pg';
import type { Logger } from 'pino';
import type { AccessPolicy, AppType, AssignmentFact, Catalog, CatalogApplication, CatalogRole, OrgFact, Tier } from '@/lib/access/types';
import { byAudienceAndValue, cmp, indexRolesByTier } from '@/lib/access/decide';
import { logger as rootLogger } from '@/lib/logger';

/**
 * Everything the decision API needs to decide, in memory, kept current (docs/decisions/0007-decision-api.md).
 *
 * Loading: one REPEATABLE READ transaction reads users (id, sub, blocked), memberships, role assignments, orgs, API
 * keys and the catalog (roles, permissions, APIs, applications, role links) with plain `pg`, and remembers that
 * transaction's snapshot (`pg_current_snapshot()`).
 *
 * Refreshing: triggers (migration 20261124010000_change_notify) append a row per change to `change_log` and
 * `pg_notify('gatehouse_changes')`. The snapshot LISTENs for speed and polls every `pollIntervalMs` as a fallback.
 * A poll reads the rows written by transactions that were not yet visible in the previous poll's database
 * snapshot, so a transaction that commits after a later one is never skipped, whatever the order of ids. It then
 * reloads only what changed: a user's row, memberships and assignments; a client's assignments; an org; an API
 * key; or the whole (small) catalog. Too many changes at once, a TRUNCATE, a failed poll or a long pause mean a
 * full reload instead.
 *
 * Trimming: every instance remembers the database snapshot it saw `changeLogRetentionMs` ago and deletes the rows of
 * transactions that had finished by then; an instance that could not poll for half that time reloads in full, so
 * it never depends on rows another instance may have trimmed.
 *
 * Reads are synchronous map lookups; a refresh builds its new entries first and swaps them in without awaiting in
 * between, so a request never sees half of a change.
 */

export interface MembershipFact {
  orgId: string;
  tier: Tier;
}

export interface UserFacts {
  id: string;
  sub: string;
  blocked: boolean;
  memberships: readonly MembershipFact[];
  /** Every assignment of the user, global and per org, expired ones included (`decide` ignores those). */
  assignments: readonly AssignmentFact[];
}

export interface OrgEntry extends OrgFact {
  name: string;
  /** The Auth0 organization it is linked to (`org_…`), or null. */
  auth0OrgId: string | null;
}

export interface ApiKeyEntry {
  id: string;
  name: string;
  prefix: string;
  secretHash: string;
  scopes: ReadonlySet<string>;
  /** Epoch ms, or null when the key never expires. */
  expiresAt: number | null;
  revoked: boolean;
}

export interface SnapshotCatalog extends Catalog {
  applicationsByClientId: ReadonlyMap<string, CatalogApplication>;
}

/** A user's memberships with their orgs, and assignments, read from the database now (for the login decision). */
export interface FreshUserFacts {
  memberships: (MembershipFact & { slug: string; name: string; suspended: boolean })[];
  assignments: AssignmentFact[];
}

export interface DecisionSnapshotOptions {
  databaseUrl: string;
  /** Fallback poll of change_log (for databases that do not forward NOTIFY). Default 250 ms. */
  pollIntervalMs?: number;
  /** LISTEN for change notifications. Default true. */
  listen?: boolean;
  /** How long change_log rows are kept after every instance could have read them. Default 5 minutes. */
  changeLogRetentionMs?: number;
  /** More changes than this in one poll: reload everything instead. Default 20,000. */
  maxIncrementalChanges?: number;
  logger?: Logger;
}

export const CHANGE_CHANNEL = 'gatehouse_changes';

type Kind = 'user' | 'client' | 'org' | 'api_key' | 'catalog' | 'all';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const Q = {
  users: 'SELECT id, sub, blocked_at IS NOT NULL AS blocked FROM users',
  memberships: 'SELECT user_id, org_id, tier::text AS tier FROM memberships',
  assignments: 'SELECT id, role_id, user_id, client_app_id, org_id, expires_at FROM role_assignments',
  orgs: 'SELECT id, slug, name, suspended_at IS NOT NULL AS suspended, auth0_org_id FROM orgs',
  apiKeys: 'SELECT id, name, prefix, secret_hash, scopes, expires_at, revoked_at IS NOT NULL AS revoked FROM api_keys',
  roles: 'SELECT id, key, name, tier::text AS tier FROM roles ORDER BY key',
  rolePermissions:
    'SELECT rp.role_id, a.identifier AS audience, p.value FROM role_permissions rp ' +
    'JOIN permissions p ON p.id = rp.permission_id JOIN apis a ON a.id = p.api_id ORDER BY a.identifier, p.value',
  roleApplications: 'SELECT role_id, application_id FROM role_applications',
  applications: 'SELECT id, name, client_id, type::text AS type, access_policy::text AS access_policy FROM applications',
};

interface UserRow { id: string; sub: string; blocked: boolean }
interface MembershipRow { user_id: string; org_id: string; tier: Tier }
interface AssignmentRow { id: string; role_id: string; user_id: string | null; client_app_id: string | null; org_id: string | null; expires_at: Date | null }
interface OrgRow { id: string; slug: string; name: string; suspended: boolean; auth0_org_id: string | null }
interface ApiKeyRow { id: string; name: string; prefix: string; secret_hash: string; scopes: string[] | null; expires_at: Date | null; revoked: boolean }
interface RoleRow { id: string; key: string; name: string; tier: Tier | null }
interface RolePermissionRow { role_id: string; audience: string; value: string }
interface RoleApplicationRow { role_id: string; application_id: string }
interface ApplicationRow { id: string; name: string; client_id: string; type: AppType; access_policy: AccessPolicy }
interface CatalogRows { roles: RoleRow[]; rolePermissions: RolePermissionRow[]; roleApplications: RoleApplicationRow[]; applications: ApplicationRow[] }

const POLL_SQL = `
SELECT pg_current_snapshot()::text AS snap,
  (SELECT COALESCE(json_agg(json_build_array(c.kind, c.key)), '[]'::json) FROM (
     SELECT kind, key FROM change_log
     WHERE txid >= pg_snapshot_xmin($1::pg_snapshot)::text::bigint
       AND NOT pg_visible_in_snapshot(txid::text::xid8, $1::pg_snapshot)
     LIMIT $2) c) AS changes`;

export class DecisionSnapshot {
  private readonly pool: pg.Pool;
  private readonly log: Logger;
  private readonly pollIntervalMs: number;
  private readonly retentionMs: number;
  private readonly staleAfterMs: number;
  private readonly maxIncremental: number;

  private usersBySub = new Map<string, UserFacts>();
  private usersById = new Map<string, UserFacts>();
  private orgsBySlug = new Map<string, OrgEntry>();
  private orgsById = new Map<string, OrgEntry>();
  private orgsByAuth0Id = new Map<string, OrgEntry>();
  private keysByPrefix = new Map<string, ApiKeyEntry>();
  private keysById = new Map<string, ApiKeyEntry>();
  private clientAssignmentsById = new Map<string, readonly AssignmentFact[]>();
  private currentCatalog: SnapshotCatalog = { roles: new Map(), applicationsByClientId: new Map() };

  /** The database snapshot (pg_snapshot text) everything in memory is current with. */
  private dbSnapshot = '';
  /** When (epoch ms) the last successful load or poll was sent. */
  private currentAt = 0;
  private needsFullReload = false;
  private failing = false;
  /** Consecutive failed polls, and when the next may run (a database outage is retried with growing pauses). */
  private failures = 0;
  private retryAt = 0;
  private changeCount = 0;

  private tail: Promise<void> = Promise.resolve();
  private queued: Promise<void> | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private trimTimer: NodeJS.Timeout | null = null;
  private readonly trimSamples: { at: number; snap: string }[] = [];
  private listener: pg.Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(private readonly options: DecisionSnapshotOptions) {
    this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
    this.log = options.logger ?? rootLogger.child({ component: 'decision-api' });
    // An idle pooled connection that breaks must not crash the process; the next query reconnects.
    this.pool.on('error', (error) => this.log.warn({ err: error.message }, 'decision snapshot: idle connection lost'));
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.retentionMs = options.changeLogRetentionMs ?? 5 * 60_000;
    this.staleAfterMs = Math.min(60_000, this.retentionMs / 2);
    this.maxIncremental = options.maxIncrementalChanges ?? 20_000;
  }

  /** Loads everything, then keeps it current until `close()`. */
  static async open(options: DecisionSnapshotOptions): Promise<DecisionSnapshot> {
    const snapshot = new DecisionSnapshot(options);
    try {
      const { rows } = await snapshot.pool.query<{ table: string | null }>(`SELECT to_regclass('change_log')::text AS table`);
      if (!rows[0]?.table) throw new Error('the change_log table is missing: apply the migrations first (npm run db:migrate)');
      await snapshot.fullLoad();
    } catch (error) {
      await snapshot.pool.end().catch(() => {});
      throw error;
    }
    snapshot.startBackground();
    return snapshot;
  }

  // Reads (synchronous, no allocation)

  userBySub(sub: string): UserFacts | undefined {
    return this.usersBySub.get(sub);
  }

  userById(id: string): UserFacts | undefined {
    return this.usersById.get(id);
  }

  orgBySlug(slug: string): OrgEntry | undefined {
    return this.orgsBySlug.get(slug);
  }

  orgById(id: string): OrgEntry | undefined {
    return this.orgsById.get(id);
  }

  /** The org linked to this Auth0 organization id (`org_…`). */
  orgByAuth0Id(auth0OrgId: string): OrgEntry | undefined {
    return this.orgsByAuth0Id.get(auth0OrgId);
  }

  applicationByClientId(clientId: string): CatalogApplication | undefined {
    return this.currentCatalog.applicationsByClientId.get(clientId);
  }

  /** The assignments of an M2M client (by its Application id), expired ones included. */
  clientAssignments(applicationId: string): readonly AssignmentFact[] {
    return this.clientAssignmentsById.get(applicationId) ?? EMPTY;
  }

  apiKeyByPrefix(prefix: string): ApiKeyEntry | undefined {
    return this.keysByPrefix.get(prefix);
  }

  get catalog(): SnapshotCatalog {
    return this.currentCatalog;
  }

  /** Milliseconds since the snapshot was last confirmed current with the database. */
  get snapshotAgeMs(): number {
    return Date.now() - this.currentAt;
  }

  /** Counts applied changes (full loads included); for tests and diagnostics. */
  get version(): number {
    return this.changeCount;
  }

  get size(): { users: number; orgs: number; apiKeys: number; roles: number; applications: number } {
    return {
      users: this.usersById.size,
      orgs: this.orgsById.size,
      apiKeys: this.keysById.size,
      roles: this.currentCatalog.roles.size,
      applications: this.currentCatalog.applicationsByClientId.size,
    };
  }

  /**
   * Polls change_log now and applies what changed. Resolves once a poll that started after this call has been
   * applied, so whatever was committed before the call is obeyed when it resolves.
   */
  refresh(): Promise<void> {
    if (this.queued) return this.queued;
    const run = this.tail.then(() => {
      this.queued = null;
      return this.closed ? undefined : this.pollOnce();
    });
    this.queued = run;
    this.tail = run.catch(() => {});
    return run;
  }

  /** Reads a user's memberships (with their orgs) and assignments from the database now, bypassing the snapshot. */
  async loadUserFacts(userId: string): Promise<FreshUserFacts> {
    const [m, a] = await Promise.all([
      this.pool.query<{ org_id: string; tier: Tier; slug: string; name: string; suspended: boolean }>(
        `SELECT m.org_id, m.tier::text AS tier, o.slug, o.name, o.suspended_at IS NOT NULL AS suspended
         FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.user_id = $1 ORDER BY o.slug`,
        [userId],
      ),
      this.pool.query<AssignmentRow>(`${Q.assignments} WHERE user_id = $1`, [userId]),
    ]);
    return {
      memberships: m.rows.map((r) => ({ orgId: r.org_id, tier: r.tier, slug: r.slug, name: r.name, suspended: r.suspended })),
      assignments: a.rows.map(toAssignment),
    };
  }

  /** Stops polling and listening and closes the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.trimTimer) clearInterval(this.trimTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.tail;
    const listener = this.listener;
    this.listener = null;
    if (listener) await listener.end().catch(() => {});
    await this.pool.end().catch(() => {});
  }

  // Background work

  private startBackground(): void {
    this.pollTimer = setInterval(() => {
      if (!this.queued && Date.now() >= this.retryAt) this.refresh().catch(() => {});
    }, this.pollIntervalMs);
    this.pollTimer.unref();
    const trimEvery = Math.max(50, Math.min(60_000, this.retentionMs / 4));
    this.trimTimer = setInterval(() => void this.trim(), trimEvery);
    this.trimTimer.unref();
    if (this.options.listen !== false) void this.connectListener();
  }

  private async connectListener(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.options.databaseUrl });
    let gone = false;
    const lost = (why: string) => {
      if (gone) return;
      gone = true;
      if (this.listener === client) this.listener = null;
      client.end().catch(() => {});
      if (this.closed) return;
      this.log.warn({ why }, 'decision snapshot: change notifications lost; polling meanwhile, reconnecting');
      this.reconnectTimer = setTimeout(() => void this.connectListener(), 2_000);
      this.reconnectTimer.unref();
    };
    client.on('notification', () => {
      this.refresh().catch(() => {});
    });
    client.on('error', (error) => lost(error.message));
    client.on('end', () => {
      if (!this.closed) lost('connection ended');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      if (this.closed) {
        await client.end().catch(() => {});
        return;
      }
      this.listener = client;
      // Anything committed while we were not listening.
      this.refresh().catch(() => {});
    } catch (error) {
      lost((error as Error).message);
    }
  }

  private async pollOnce(): Promise<void> {
    const started = Date.now();
    try {
      if (this.needsFullReload || started - this.currentAt > this.staleAfterMs) {
        await this.fullLoad();
      } else {
        const { rows } = await this.pool.query<{ snap: string; changes: [Kind, string | null][] }>(POLL_SQL, [
          this.dbSnapshot,
          this.maxIncremental + 1,
        ]);
        const { snap, changes } = rows[0]!;
        if (changes.length > this.maxIncremental || changes.some(([kind]) => kind === 'all')) {
          await this.fullLoad();
        } else {
          if (changes.length > 0) await this.applyChanges(changes);
          this.dbSnapshot = snap;
          this.currentAt = started;
        }
      }
      if (this.failing) this.log.info('decision snapshot: current again');
      this.failing = false;
      this.failures = 0;
    } catch (error) {
      this.needsFullReload = true;
      if (!this.failing) this.log.error({ err: (error as Error).message }, 'decision snapshot: refresh failed; answering from the last snapshot');
      this.failing = true;
      this.failures++;
      this.retryAt = Date.now() + Math.min(5_000, this.pollIntervalMs * 2 ** this.failures);
      throw error;
    }
  }

  private async trim(): Promise<void> {
    if (this.closed || this.failing || !this.dbSnapshot) return;
    const now = Date.now();
    this.trimSamples.push({ at: now, snap: this.dbSnapshot });
    const due = this.trimSamples[0]!;
    if (now - due.at < this.retentionMs) return;
    this.trimSamples.shift();
    try {
      // Transactions below that snapshot's xmin had finished `retentionMs` ago: every instance that has polled since
      // has read their rows, and one that has not reloads in full.
      await this.pool.query('DELETE FROM change_log WHERE txid < pg_snapshot_xmin($1::pg_snapshot)::text::bigint', [due.snap]);
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'decision snapshot: trimming change_log failed');
    }
  }

  // Loading

  private async fullLoad(): Promise<void> {
    const started = Date.now();
    const client = await this.pool.connect();
    let results: pg.QueryResult[];
    try {
      // One message, one transaction, one database snapshot: everything below is consistent, and on PGlite (which
      // runs one message at a time) no other connection's statement lands in the middle.
      results = (await client.query(
        [
          'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
          'SELECT pg_current_snapshot()::text AS snap',
          Q.users,
          Q.memberships,
          Q.assignments,
          Q.orgs,
          Q.apiKeys,
          Q.roles,
          Q.rolePermissions,
          Q.roleApplications,
          Q.applications,
          'COMMIT',
        ].join(';\n'),
      )) as unknown as pg.QueryResult[];
      client.release();
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    const rowsOf = <T>(i: number) => results[i]!.rows as T[];
    const snap = rowsOf<{ snap: string }>(1)[0]!.snap;

    const memberships = groupMemberships(rowsOf<MembershipRow>(3));
    const { byUser, byClient } = groupAssignments(rowsOf<AssignmentRow>(4));
    const usersBySub = new Map<string, UserFacts>();
    const usersById = new Map<string, UserFacts>();
    for (const r of rowsOf<UserRow>(2)) {
      const u: UserFacts = { id: r.id, sub: r.sub, blocked: r.blocked, memberships: memberships.get(r.id) ?? EMPTY, assignments: byUser.get(r.id) ?? EMPTY };
      usersBySub.set(u.sub, u);
      usersById.set(u.id, u);
    }
    const orgsBySlug = new Map<string, OrgEntry>();
    const orgsById = new Map<string, OrgEntry>();
    const orgsByAuth0Id = new Map<string, OrgEntry>();
    for (const r of rowsOf<OrgRow>(5)) {
      const o = toOrg(r);
      orgsBySlug.set(o.slug, o);
      orgsById.set(o.id, o);
      if (o.auth0OrgId !== null) orgsByAuth0Id.set(o.auth0OrgId, o);
    }
    const keysByPrefix = new Map<string, ApiKeyEntry>();
    const keysById = new Map<string, ApiKeyEntry>();
    for (const r of rowsOf<ApiKeyRow>(6)) {
      const k = toApiKey(r);
      keysByPrefix.set(k.prefix, k);
      keysById.set(k.id, k);
    }
    const catalog = buildCatalog({
      roles: rowsOf<RoleRow>(7),
      rolePermissions: rowsOf<RolePermissionRow>(8),
      roleApplications: rowsOf<RoleApplicationRow>(9),
      applications: rowsOf<ApplicationRow>(10),
    });

    this.usersBySub = usersBySub;
    this.usersById = usersById;
    this.orgsBySlug = orgsBySlug;
    this.orgsById = orgsById;
    this.orgsByAuth0Id = orgsByAuth0Id;
    this.keysByPrefix = keysByPrefix;
    this.keysById = keysById;
    this.clientAssignmentsById = byClient;
    this.currentCatalog = catalog;
    this.dbSnapshot = snap;
    this.currentAt = started;
    this.needsFullReload = false;
    this.changeCount++;
    this.log.info(
      { ms: Date.now() - started, users: usersById.size, orgs: orgsById.size, roles: catalog.roles.size, applications: catalog.applicationsByClientId.size },
      'decision snapshot: loaded',
    );
  }

  private async applyChanges(changes: [Kind, string | null][]): Promise<void> {
    const users = new Set<string>();
    const clients = new Set<string>();
    const orgs = new Set<string>();
    const keys = new Set<string>();
    let catalog = false;
    for (const [kind, key] of changes) {
      if (kind === 'catalog') catalog = true;
      else if (key === null || !UUID_RE.test(key)) continue;
      else if (kind === 'user') users.add(key);
      else if (kind === 'client') clients.add(key);
      else if (kind === 'org') orgs.add(key);
      else if (kind === 'api_key') keys.add(key);
    }

    // Ids are checked against UUID_RE above, so they can be written into the SQL: one message, one snapshot.
    const list = (ids: Set<string>) => `ARRAY[${[...ids].map((id) => `'${id}'`).join(',')}]::uuid[]`;
    const statements: string[] = ['BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'];
    const at: Partial<Record<string, number>> = {};
    const add = (name: string, sql: string) => {
      at[name] = statements.length;
      statements.push(sql);
    };
    if (users.size > 0) {
      add('users', `${Q.users} WHERE id = ANY(${list(users)})`);
      add('memberships', `${Q.memberships} WHERE user_id = ANY(${list(users)})`);
      add('userAssignments', `${Q.assignments} WHERE user_id = ANY(${list(users)})`);
    }
    if (clients.size > 0) add('clientAssignments', `${Q.assignments} WHERE client_app_id = ANY(${list(clients)})`);
    if (orgs.size > 0) add('orgs', `${Q.orgs} WHERE id = ANY(${list(orgs)})`);
    if (keys.size > 0) add('apiKeys', `${Q.apiKeys} WHERE id = ANY(${list(keys)})`);
    if (catalog) {
      add('roles', Q.roles);
      add('rolePermissions', Q.rolePermissions);
      add('roleApplications', Q.roleApplications);
      add('applications', Q.applications);
    }
    if (statements.length === 1) return;
    statements.push('COMMIT');

    const client = await this.pool.connect();
    let results: pg.QueryResult[];
    try {
      results = (await client.query(statements.join(';\n'))) as unknown as pg.QueryResult[];
      client.release();
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    const rowsOf = <T>(name: string): T[] => (at[name] === undefined ? [] : (results[at[name]!]!.rows as T[]));

    // Build everything first, then swap in without awaiting.
    const newCatalog = catalog
      ? buildCatalog({
          roles: rowsOf<RoleRow>('roles'),
          rolePermissions: rowsOf<RolePermissionRow>('rolePermissions'),
          roleApplications: rowsOf<RoleApplicationRow>('roleApplications'),
          applications: rowsOf<ApplicationRow>('applications'),
        })
      : null;
    const memberships = groupMemberships(rowsOf<MembershipRow>('memberships'));
    const userAssignments = groupAssignments(rowsOf<AssignmentRow>('userAssignments')).byUser;
    const userRows = new Map(rowsOf<UserRow>('users').map((r) => [r.id, r]));
    const clientAssignments = groupAssignments(rowsOf<AssignmentRow>('clientAssignments')).byClient;
    const orgRows = new Map(rowsOf<OrgRow>('orgs').map((r) => [r.id, r]));
    const keyRows = new Map(rowsOf<ApiKeyRow>('apiKeys').map((r) => [r.id, r]));

    for (const id of users) {
      const old = this.usersById.get(id);
      if (old) {
        this.usersById.delete(id);
        if (this.usersBySub.get(old.sub) === old) this.usersBySub.delete(old.sub);
      }
      const r = userRows.get(id);
      if (!r) continue;
      const u: UserFacts = { id, sub: r.sub, blocked: r.blocked, memberships: memberships.get(id) ?? EMPTY, assignments: userAssignments.get(id) ?? EMPTY };
      this.usersById.set(id, u);
      this.usersBySub.set(u.sub, u);
    }
    for (const id of clients) {
      const a = clientAssignments.get(id);
      if (a) this.clientAssignmentsById.set(id, a);
      else this.clientAssignmentsById.delete(id);
    }
    for (const id of orgs) {
      const old = this.orgsById.get(id);
      if (old) {
        this.orgsById.delete(id);
        if (this.orgsBySlug.get(old.slug) === old) this.orgsBySlug.delete(old.slug);
        if (old.auth0OrgId !== null && this.orgsByAuth0Id.get(old.auth0OrgId) === old) this.orgsByAuth0Id.delete(old.auth0OrgId);
      }
      const r = orgRows.get(id);
      if (!r) continue;
      const o = toOrg(r);
      this.orgsById.set(id, o);
      this.orgsBySlug.set(o.slug, o);
      if (o.auth0OrgId !== null) this.orgsByAuth0Id.set(o.auth0OrgId, o);
    }
    for (const id of keys) {
      const old = this.keysById.get(id);
      if (old) {
        this.keysById.delete(id);
        if (this.keysByPrefix.get(old.prefix) === old) this.keysByPrefix.delete(old.prefix);
      }
      const r = keyRows.get(id);
      if (!r) continue;
      const k = toApiKey(r);
      this.keysById.set(id, k);
      this.keysByPrefix.set(k.prefix, k);
    }
    if (newCatalog) this.currentCatalog = newCatalog;
    this.changeCount++;
  }
}

const EMPTY: readonly never[] = Object.freeze([]);

function toAssignment(r: AssignmentRow): AssignmentFact {
  return { id: r.id, roleId: r.role_id, orgId: r.org_id, expiresAt: r.expires_at };
}

function toOrg(r: OrgRow): OrgEntry {
  return { id: r.id, slug: r.slug, name: r.name, suspended: r.suspended, auth0OrgId: r.auth0_org_id };
}

function toApiKey(r: ApiKeyRow): ApiKeyEntry {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    secretHash: r.secret_hash,
    scopes: new Set(r.scopes ?? []),
    expiresAt: r.expires_at ? r.expires_at.getTime() : null,
    revoked: r.revoked,
  };
}

function groupMemberships(rows: MembershipRow[]): Map<string, MembershipFact[]> {
  const out = new Map<string, MembershipFact[]>();
  for (const r of rows) {
    const m: MembershipFact = { orgId: r.org_id, tier: r.tier };
    const list = out.get(r.user_id);
    if (list) list.push(m);
    else out.set(r.user_id, [m]);
  }
  return out;
}

function groupAssignments(rows: AssignmentRow[]): { byUser: Map<string, AssignmentFact[]>; byClient: Map<string, AssignmentFact[]> } {
  const byUser = new Map<string, AssignmentFact[]>();
  const byClient = new Map<string, AssignmentFact[]>();
  for (const r of rows) {
    const [map, key] = r.user_id !== null ? [byUser, r.user_id] : [byClient, r.client_app_id!];
    const list = map.get(key);
    if (list) list.push(toAssignment(r));
    else map.set(key, [toAssignment(r)]);
  }
  return { byUser, byClient };
}

function buildCatalog(rows: CatalogRows): SnapshotCatalog {
  const roles = new Map<string, CatalogRole>();
  for (const r of rows.roles) roles.set(r.id, { id: r.id, key: r.key, name: r.name, tier: r.tier, permissions: [], applicationIds: [] });
  const appRoles = new Map<string, string[]>();
  for (const p of rows.rolePermissions) roles.get(p.role_id)?.permissions.push({ audience: p.audience, value: p.value });
  for (const l of rows.roleApplications) {
    roles.get(l.role_id)?.applicationIds.push(l.application_id);
    const list = appRoles.get(l.application_id);
    if (list) list.push(l.role_id);
    else appRoles.set(l.application_id, [l.role_id]);
  }
  // decide's answers list permissions by audience then value and role keys in order: keeping the catalog in that
  // order lets it skip sorting on every check.
  for (const role of roles.values()) role.permissions.sort(byAudienceAndValue);
  const keyOf = (roleId: string) => roles.get(roleId)?.key ?? roleId;
  for (const list of appRoles.values()) list.sort((a, b) => cmp(keyOf(a), keyOf(b)));
  const applicationsByClientId = new Map<string, CatalogApplication>();
  for (const a of rows.applications) {
    applicationsByClientId.set(a.client_id, {
      id: a.id,
      name: a.name,
      clientId: a.client_id,
      type: a.type,
      accessPolicy: a.access_policy,
      roleIds: appRoles.get(a.id) ?? [],
    });
  }
  return { roles, rolesByTier: indexRolesByTier(roles.values()), applicationsByClientId };
}
