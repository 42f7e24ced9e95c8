import pg from 'pg';
import type { Logger } from 'pino';
import {
  buildCatalog,
  CATALOG_SQL,
  CATALOG_STATEMENTS,
  FACT_SQL,
  groupAssignments,
  groupMemberships,
  loadUserFacts,
  pgReader,
  type SqlReader,
  toOrg,
  type CatalogRows,
  type LoadedCatalog,
  type MembershipFact,
  type MembershipRow,
  type AssignmentRow,
  type OrgEntry,
  type OrgRow,
  type UserFactsWithOrgs,
  type UserRow,
} from '@/lib/access/load';
import type { AssignmentFact, CatalogApplication } from '@/lib/access/types';
import { logger as rootLogger } from '@/lib/logger';

/**
 * Everything the decision API needs to decide, in memory, kept current (docs/decisions/0007-decision-api.md).
 *
 * Loading: one REPEATABLE READ transaction reads users (id, sub, blocked), memberships, role assignments, orgs and the
 * catalog (roles, permissions, APIs, applications, role links) with the statements of lib/access/load.ts (the console's
 * matrix reads the same facts through them), and API keys, with plain `pg`, and remembers that transaction's snapshot
 * (`pg_current_snapshot()`).
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

export interface UserFacts {
  id: string;
  sub: string;
  blocked: boolean;
  memberships: readonly MembershipFact[];
  /** Every assignment of the user, global and per org, expired ones included (`decide` ignores those). */
  assignments: readonly AssignmentFact[];
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

export interface DecisionSnapshotOptions {
  /** The pool the snapshot reads through (shared with the rest of the decision API; the caller closes it). */
  pool: pg.Pool;
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

/** Subjects' and orgs' facts (lib/access/load.ts), and the decision API's own API keys. */
const Q = {
  ...FACT_SQL,
  apiKeys: 'SELECT id, name, prefix, secret_hash, scopes, expires_at, revoked_at IS NOT NULL AS revoked FROM api_keys',
};

interface ApiKeyRow { id: string; name: string; prefix: string; secret_hash: string; scopes: string[] | null; expires_at: Date | null; revoked: boolean }

const POLL_SQL = `
SELECT pg_current_snapshot()::text AS snap,
  (SELECT COALESCE(json_agg(json_build_array(c.kind, c.key)), '[]'::json) FROM (
     SELECT kind, key FROM change_log
     WHERE txid >= pg_snapshot_xmin($1::pg_snapshot)::text::bigint
       AND NOT pg_visible_in_snapshot(txid::text::xid8, $1::pg_snapshot)
     LIMIT $2) c) AS changes`;

export class DecisionSnapshot {
  private readonly pool: pg.Pool;
  private readonly reader: SqlReader;
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
  private currentCatalog: LoadedCatalog = buildCatalog({ roles: [], rolePermissions: [], roleApplications: [], applications: [] });

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
    this.pool = options.pool;
    this.reader = pgReader(options.pool);
    this.log = options.logger ?? rootLogger.child({ component: 'decision-api' });
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
      snapshot.closed = true;
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

  get catalog(): LoadedCatalog {
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
  loadUserFacts(userId: string): Promise<UserFactsWithOrgs> {
    return loadUserFacts(this.reader, userId);
  }

  /** Stops polling and listening and closes the listening connection (not the pool, which the caller owns). */
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
    // LISTEN holds its connection for good: a client of its own, configured like the pool, not one of the pool's.
    const client = new pg.Client(this.pool.options);
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
          ...CATALOG_STATEMENTS.map((name) => CATALOG_SQL[name]),
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
    const catalog = buildCatalog(catalogRows((name, i) => rowsOf(7 + i)));

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
    if (catalog) for (const name of CATALOG_STATEMENTS) add(name, CATALOG_SQL[name]);
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
    const newCatalog = catalog ? buildCatalog(catalogRows((name) => rowsOf(name))) : null;
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

/** The catalog statements' rows, by name, from wherever the caller ran them. */
function catalogRows(rowsOf: (name: keyof CatalogRows, index: number) => unknown[]): CatalogRows {
  return Object.fromEntries(CATALOG_STATEMENTS.map((name, i) => [name, rowsOf(name, i)])) as CatalogRows;
}
