import { can, canAssignTier, canManageMember } from '@/lib/authz/policy';
import type { Actor } from '@/lib/authz/types';
import type { Tier } from '@/lib/authz/permissions';
import type { AuditActor } from '@/lib/audit';
import type { Db, Tx } from '@/lib/db-client';
import { TIER_LABELS } from '@/lib/vocabulary';
import type { ImportColumn } from './parse';

/**
 * What an import would do to each row, decided against the database as it is now: by the dry run (over every row,
 * writing nothing but the plan on the staged rows) and again by each batch of the run, inside its transaction and
 * under its org locks, so a change made between the two is seen. The console powers are the ones
 * lib/authz/policy.ts decides for every other path (canAssignTier for a new member's tier, canManageMember for
 * changing an existing member's tier or roles, as lib/data/grants.ts does); this module only applies them per row.
 */

/** Who started an import, as the job records it; their powers are read again from the database at every batch. */
export type Importer =
  | { kind: 'platform_user'; userId: string; label: string }
  | { kind: 'api_key'; apiKeyId: string; label: string }
  | { kind: 'org_member'; userId: string; label: string; orgId: string; orgSlug: string };

/** The importer's powers now: the platform (any org) or one org with a tier. Null: they may not import any more. */
export type ImporterPowers = { platform: true } | { platform: false; orgId: string; orgSlug: string; actor: Actor };

export function auditActorOf(importer: Importer): AuditActor {
  return importer.kind === 'api_key'
    ? { type: 'api_key', id: importer.apiKeyId, label: importer.label }
    : { type: 'user', id: importer.userId, label: importer.label };
}

/** Reads the importer's current powers (a demoted admin, a revoked key or a blocked operator stops the import). */
export async function importerPowers(tx: Tx | Db, importer: Importer): Promise<ImporterPowers | null> {
  if (importer.kind === 'api_key') {
    const rows = await tx.$queryRaw<{ ok: boolean }[]>`
      SELECT true AS ok FROM api_keys WHERE id = ${importer.apiKeyId}::uuid AND revoked_at IS NULL
        AND (expires_at IS NULL OR expires_at > now()) AND 'import' = ANY(scopes)`;
    return rows.length > 0 ? { platform: true } : null;
  }
  const rows = await tx.$queryRaw<{ platform_role: Actor['platformRole']; blocked: boolean; tier: Tier | null }[]>`
    SELECT u.platform_role, u.blocked_at IS NOT NULL AS blocked, m.tier
    FROM users u LEFT JOIN memberships m ON m.user_id = u.id AND m.org_id = ${importer.kind === 'org_member' ? importer.orgId : null}::uuid
    WHERE u.id = ${importer.userId}::uuid`;
  const u = rows[0];
  if (!u || u.blocked) return null;
  if (importer.kind === 'platform_user') return can({ platformRole: u.platform_role }, 'import:run') ? { platform: true } : null;
  const actor: Actor = { platformRole: u.platform_role, tier: u.tier };
  return can(actor, 'members:manage') ? { platform: false, orgId: importer.orgId, orgSlug: importer.orgSlug, actor } : null;
}

/** A staged row with what the database knows about its person, org and roles now. */
export interface RowState {
  rowNo: number;
  email: string;
  name: string | null;
  orgSlug: string;
  tier: Tier | null;
  roles: string[];
  connection: string | null;
  errors: { column: ImportColumn | null; message: string }[] | null;
  orgId: string | null;
  userId: string | null;
  currentTier: Tier | null;
  /** [key, id, builtIn] of the row's role keys that exist. */
  knownRoles: [string, string, boolean][];
  /** Keys of the row's roles the person holds in the org now (unexpired). */
  held: string[];
  /** What the dry run wrote on the row (the run rewrites it only when its own decision differs). */
  planned: { outcome: string | null; message: string | null };
}

export type Outcome = 'create' | 'update' | 'unchanged' | 'error';

export interface RowDecision {
  outcome: Outcome;
  issues: { column: ImportColumn | null; message: string }[];
  createUser: boolean;
  /** The tier of a new membership. */
  addMembership: Tier | null;
  changeTier: { from: Tier; to: Tier } | null;
  grant: { key: string; id: string }[];
  message: string;
}

/**
 * Reads up to `limit` staged rows after `afterRowNo` with their database state. Two statements: the rows with their
 * person, org and membership (index look-ups per row), then the roles they name (once for the batch, not per row).
 */
export async function readRowStates(tx: Tx | Db, jobId: string, afterRowNo: number, limit: number): Promise<RowState[]> {
  const rows = await tx.$queryRaw<
    {
      row_no: number;
      email: string;
      name: string | null;
      org_slug: string;
      tier: Tier | null;
      roles: string[] | null;
      connection: string | null;
      errors: RowState['errors'];
      outcome: string | null;
      message: string | null;
      org_id: string | null;
      user_id: string | null;
      current_tier: Tier | null;
      held: string[];
    }[]
  >`
    SELECT r.row_no, r.email, r.name, r.org_slug, r.tier, r.roles, r.connection, r.errors, r.outcome, r.message,
      o.id AS org_id, u.id AS user_id, m.tier AS current_tier,
      CASE WHEN m.user_id IS NULL OR COALESCE(cardinality(r.roles), 0) = 0 THEN ARRAY[]::text[] ELSE
        (SELECT COALESCE(array_agg(ra.role_id::text), ARRAY[]::text[]) FROM role_assignments ra
         WHERE ra.user_id = u.id AND ra.org_id = o.id AND (ra.expires_at IS NULL OR ra.expires_at > now())) END AS held
    FROM import_rows r
    LEFT JOIN orgs o ON o.slug = r.org_slug
    LEFT JOIN LATERAL (
      SELECT id FROM users WHERE email = r.email
      ORDER BY (connection IS NOT DISTINCT FROM r.connection) DESC, created_at LIMIT 1) u ON r.errors IS NULL
    LEFT JOIN memberships m ON m.org_id = o.id AND m.user_id = u.id
    WHERE r.job_id = ${jobId}::uuid AND r.row_no > ${afterRowNo}
    ORDER BY r.row_no
    LIMIT ${limit}`;
  const keys = [...new Set(rows.flatMap((r) => r.roles ?? []))];
  const roles =
    keys.length === 0 ? [] : await tx.$queryRaw<{ key: string; id: string; built_in: boolean }[]>`SELECT key, id, built_in FROM roles WHERE key = ANY(${keys}::text[])`;
  const byKey = new Map(roles.map((ro) => [ro.key, ro]));
  const keyOfId = new Map(roles.map((ro) => [ro.id, ro.key]));
  return rows.map((r) => {
    const named = r.roles ?? [];
    return {
      rowNo: r.row_no,
      email: r.email,
      name: r.name,
      orgSlug: r.org_slug,
      tier: r.tier,
      roles: named,
      connection: r.connection,
      errors: r.errors,
      orgId: r.org_id,
      userId: r.user_id,
      currentTier: r.current_tier,
      knownRoles: named.flatMap((k) => {
        const ro = byKey.get(k);
        return ro ? [[ro.key, ro.id, ro.built_in] as [string, string, boolean]] : [];
      }),
      // Held roles the row does not name cannot change its decision, so only the named ones are mapped to keys.
      held: r.held.flatMap((id) => {
        const k = keyOfId.get(id);
        return k ? [k] : [];
      }),
      planned: { outcome: r.outcome, message: r.message },
    };
  });
}

/** Decides one row for the importer: what it changes, or why it cannot. Pure. */
export function decideRow(powers: ImporterPowers, row: RowState): RowDecision {
  const issues = [...(row.errors ?? [])];
  const none = (outcome: Outcome, message: string): RowDecision => ({ outcome, issues, createUser: false, addMembership: null, changeTier: null, grant: [], message });
  if (issues.length > 0) return none('error', issues.map((i) => (i.column ? `${i.column}: ${i.message}` : i.message)).join(' '));
  const fail = (column: ImportColumn | null, message: string) => {
    issues.push({ column, message });
    return none('error', column ? `${column}: ${message}` : message);
  };

  // An org member may import into their own org only; another org is refused without saying whether it exists.
  if (!powers.platform && row.orgSlug !== powers.orgSlug) return fail('org', `you may import into ${powers.orgSlug} only.`);
  if (!row.orgId) return fail('org', `no organization has the slug "${row.orgSlug}".`);

  const known = new Map(row.knownRoles.map(([key, id, builtIn]) => [key, { id, builtIn }]));
  for (const key of row.roles) {
    const role = known.get(key);
    if (!role) return fail('roles', `no role has the key "${key}".`);
    if (role.builtIn) return fail('roles', `"${key}" is a tier role; set the tier column instead.`);
  }
  const actor = powers.platform ? null : powers.actor;
  const held = new Set(row.held);
  const grant = row.roles.filter((k) => !held.has(k)).map((key) => ({ key, id: known.get(key)!.id }));

  let addMembership: Tier | null = null;
  let changeTier: RowDecision['changeTier'] = null;
  if (row.currentTier === null) {
    addMembership = row.tier ?? 'EMPLOYEE';
    if (actor && !canAssignTier(actor, addMembership)) {
      return fail('tier', `you cannot make someone ${TIER_LABELS[addMembership].toLowerCase()}; ${TIER_LABELS[actor.tier ?? 'EMPLOYEE'].toLowerCase()}s never import owners.`);
    }
  } else {
    if (row.tier && row.tier !== row.currentTier) {
      // An org keeps at least one owner: owners are changed on the members page, never by a file.
      if (row.currentTier === 'OWNER') return fail('tier', 'this person is an owner; change owners on the members page.');
      if (actor && !(canManageMember(actor, row.currentTier) && canAssignTier(actor, row.tier))) {
        return fail('tier', `you cannot change a ${TIER_LABELS[row.currentTier].toLowerCase()} to ${TIER_LABELS[row.tier].toLowerCase()}.`);
      }
      changeTier = { from: row.currentTier, to: row.tier };
    }
    if (grant.length > 0 && actor && !canManageMember(actor, row.currentTier)) {
      return fail('roles', `you cannot change the roles of a member who is ${TIER_LABELS[row.currentTier].toLowerCase()}.`);
    }
  }

  const createUser = row.userId === null;
  const parts: string[] = [];
  if (createUser) parts.push('new person');
  if (addMembership) parts.push(`joins ${row.orgSlug} as ${TIER_LABELS[addMembership].toLowerCase()}`);
  if (changeTier) parts.push(`${TIER_LABELS[changeTier.from].toLowerCase()} → ${TIER_LABELS[changeTier.to].toLowerCase()}`);
  if (grant.length > 0) parts.push(`gets ${grant.map((g) => g.key).join(', ')}`);
  if (parts.length === 0) return { ...none('unchanged', 'already as the file says'), issues };
  const outcome: Outcome = createUser || addMembership ? 'create' : 'update';
  const message = parts.join('; ');
  return { outcome, issues, createUser, addMembership, changeTier, grant, message: message.charAt(0).toUpperCase() + message.slice(1) };
}

/** Counts of a plan or of what a run did. */
export interface ImportSummary {
  rows: number;
  create: number;
  update: number;
  unchanged: number;
  error: number;
  newUsers: number;
  newMemberships: number;
  tierChanges: number;
  roleGrants: number;
}

export function emptySummary(): ImportSummary {
  return { rows: 0, create: 0, update: 0, unchanged: 0, error: 0, newUsers: 0, newMemberships: 0, tierChanges: 0, roleGrants: 0 };
}

export function addToSummary(s: ImportSummary, d: RowDecision): void {
  s.rows++;
  s[d.outcome]++;
  if (d.createUser) s.newUsers++;
  if (d.addMembership) s.newMemberships++;
  if (d.changeTier) s.tierChanges++;
  s.roleGrants += d.grant.length;
}

/**
 * The dry run: decides every row (in pages of 5,000) and writes each row's plan (outcome and message) on the staged
 * row, nothing else. New people are counted once however many rows name them.
 */
export async function planImport(db: Db, jobId: string, powers: ImporterPowers): Promise<ImportSummary> {
  const summary = emptySummary();
  const newEmails = new Set<string>();
  let after = 0;
  for (;;) {
    const states = await readRowStates(db, jobId, after, 5_000);
    if (states.length === 0) break;
    const decisions = states.map((s) => decideRow(powers, s));
    for (const [i, d] of decisions.entries()) {
      const email = states[i]!.email;
      if (d.createUser && newEmails.has(email)) d.createUser = false;
      else if (d.createUser) newEmails.add(email);
      addToSummary(summary, d);
    }
    await writeOutcomes(db, jobId, states.map((s) => s.rowNo), decisions);
    after = states[states.length - 1]!.rowNo;
  }
  return summary;
}

/** Writes each row's outcome and message, in one statement. */
export async function writeOutcomes(tx: Tx | Db, jobId: string, rowNos: number[], decisions: RowDecision[]): Promise<void> {
  if (rowNos.length === 0) return;
  const outcomes = decisions.map((d) => d.outcome);
  const messages = decisions.map((d) => d.message);
  // `errors` keeps only what validation found without the database: a plan's refusal (an org not there yet) is
  // decided again when the row is applied.
  await tx.$executeRaw`
    UPDATE import_rows r SET outcome = v.outcome, message = v.message
    FROM unnest(${rowNos}::int[], ${outcomes}::text[], ${messages}::text[]) AS v(row_no, outcome, message)
    WHERE r.job_id = ${jobId}::uuid AND r.row_no = v.row_no`;
}
