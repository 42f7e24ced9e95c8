import type { AssignmentFact, Catalog, CatalogRole, Decision, DecideInput, EffectiveRole, PermissionRef, Reason, RoleSource, Tier } from './types';

/**
 * The one access decision (PRODUCT.md, "The decision"). Pure: the same input gives the same answer.
 *
 * Rules, in order:
 * 1. A blocked user is denied everything and holds no roles (`user_blocked`).
 * 2. Effective roles = the subject's unexpired global assignments, plus, when an org is given and the subject
 *    belongs to it, the tier's built-in role and the unexpired assignments scoped to that org. A user belongs to an
 *    org by membership; a client belongs to an org when it has an unexpired assignment scoped to it. Assignments of
 *    other orgs, expired ones and roles missing from the catalog count for nothing.
 * 3. When the org given is suspended, the org part counts for nothing and every answer is `org_suspended`.
 * 4. Target none: with an org, allow when the subject belongs to it (`member`), else `not_a_member`;
 *    without an org, allow (`no_org`).
 * 5. Application: OPEN lets in any member of the org given (anyone when no org is given; always an M2M client);
 *    ANY_ROLE needs one of its mapped roles, ALL_ROLES all of them; with no role mapped nobody gets in.
 * 6. Permission: allowed when an effective role grants it. Audience: when an effective role grants any permission
 *    of that API.
 * Permissions listed are the union of the effective roles' permissions (only `audience`'s when given).
 */
export function decide(input: DecideInput): Decision {
  const { subject, org, target, now, catalog } = input;

  if (subject.kind === 'user' && subject.blocked) {
    return deny([], [], { code: 'user_blocked', message: 'This user is blocked.' });
  }

  // This runs for every check the decision API answers, so it avoids closures and intermediate collections.
  const nowMs = now.getTime();
  let live: readonly AssignmentFact[] = subject.assignments;
  for (const a of subject.assignments) {
    if (a.expiresAt !== null && a.expiresAt.getTime() <= nowMs) {
      live = subject.assignments.filter((x) => x.expiresAt === null || x.expiresAt.getTime() > nowMs);
      break;
    }
  }
  const orgUsable = org !== null && !org.suspended;
  let belongs = false;
  if (org !== null) {
    if (subject.kind === 'user') belongs = subject.membership !== null && subject.membership.orgId === org.id;
    else for (const a of live) if (a.orgId === org.id && catalog.roles.has(a.roleId)) belongs = true;
  }

  const roles: EffectiveRole[] = [];
  if (orgUsable && belongs && subject.kind === 'user' && subject.membership) {
    const tier = subject.membership.tier;
    const tierRoles = catalog.rolesByTier ? (catalog.rolesByTier.get(tier) ?? NO_ROLES) : catalog.roles.values();
    for (const role of tierRoles) if (role.tier === tier) addRole(roles, catalog, role.id, { kind: 'tier', tier });
  }
  for (const a of live) {
    if (a.orgId === null) addRole(roles, catalog, a.roleId, { kind: 'assignment', assignmentId: a.id, scope: 'global', expiresAt: a.expiresAt });
    else if (orgUsable && belongs && a.orgId === org.id) {
      addRole(roles, catalog, a.roleId, { kind: 'assignment', assignmentId: a.id, scope: 'org', expiresAt: a.expiresAt });
    }
  }
  if (!isSorted(roles, byKey)) roles.sort(byKey);
  const permissions = permissionsOf(roles, catalog, input.audience);

  if (org !== null && org.suspended) {
    return deny(roles, permissions, { code: 'org_suspended', message: `The organization ${org.slug} is suspended.` });
  }

  switch (target.kind) {
    case 'none': {
      if (org === null) return allow(roles, permissions, { code: 'no_org', message: 'No organization given: global roles only.' });
      if (!belongs) return deny(roles, permissions, notMember(subject.kind, org.slug));
      return allow(roles, permissions, { code: 'member', message: `Belongs to ${org.slug}.` });
    }
    case 'application': {
      const app = target.application;
      if (app.accessPolicy === 'OPEN') {
        if (subject.kind === 'user' && org !== null && !belongs) return deny(roles, permissions, notMember('user', org.slug));
        return allow(roles, permissions, { code: 'open_application', message: `${app.name} is open to ${org ? 'every member' : 'everyone signed in'}.` });
      }
      const mapped: string[] = [];
      for (const id of app.roleIds) if (!mapped.includes(id)) mapped.push(id);
      if (mapped.length === 0) {
        return deny(roles, permissions, { code: 'no_roles_mapped', message: `${app.name} requires a role, and no role is mapped to it.` });
      }
      const have: string[] = [];
      const missing: string[] = [];
      for (const id of mapped) (holds(roles, id) ? have : missing).push(id);
      if (app.accessPolicy === 'ANY_ROLE') {
        if (have.length > 0) {
          const via = sortedKeys(catalog, have);
          return allow(roles, permissions, { code: 'granted_by_role', message: `Allowed by the role ${via.join(', ')}.`, via });
        }
        const want = sortedKeys(catalog, mapped);
        return deny(roles, permissions, { code: 'missing_role', message: `${app.name} needs one of the roles ${want.join(', ')}.`, missing: want });
      }
      if (missing.length === 0) {
        const via = sortedKeys(catalog, mapped);
        return allow(roles, permissions, { code: 'granted_by_role', message: `Allowed by holding all of ${via.join(', ')}.`, via });
      }
      const lacking = sortedKeys(catalog, missing);
      return deny(roles, permissions, { code: 'missing_roles', message: `${app.name} needs all of its roles; missing ${lacking.join(', ')}.`, missing: lacking });
    }
    case 'permission':
    case 'audience': {
      const via: string[] = [];
      for (const r of roles) {
        for (const p of catalog.roles.get(r.id)!.permissions) {
          if (p.audience === target.audience && (target.kind === 'audience' || p.value === target.permission)) {
            via.push(r.key);
            break;
          }
        }
      }
      const what = target.kind === 'permission' ? `${target.permission} on ${target.audience}` : `any permission on ${target.audience}`;
      if (via.length > 0) return allow(roles, permissions, { code: 'granted_by_role', message: `${what} is granted by ${via.join(', ')}.`, via });
      return deny(roles, permissions, { code: 'missing_permission', message: `No role here grants ${what}.` });
    }
  }
}

/** The `rolesByTier` index of a catalog's roles. */
export function indexRolesByTier(roles: Iterable<CatalogRole>): Map<Tier, CatalogRole[]> {
  const index = new Map<Tier, CatalogRole[]>();
  for (const role of roles) {
    if (role.tier === null) continue;
    const list = index.get(role.tier);
    if (list) list.push(role);
    else index.set(role.tier, [role]);
  }
  return index;
}

const NO_ROLES: readonly CatalogRole[] = [];

/** Adds a role (if the catalog has it) to the effective roles, or one more source to a role already there. */
function addRole(roles: EffectiveRole[], catalog: Catalog, roleId: string, source: RoleSource): void {
  const role = catalog.roles.get(roleId);
  if (!role) return;
  for (const r of roles) {
    if (r.id === roleId) {
      r.sources.push(source);
      return;
    }
  }
  roles.push({ id: role.id, key: role.key, name: role.name, sources: [source] });
}

function holds(roles: EffectiveRole[], roleId: string): boolean {
  for (const r of roles) if (r.id === roleId) return true;
  return false;
}

function notMember(kind: 'user' | 'client', slug: string): Reason {
  return {
    code: 'not_a_member',
    message: kind === 'user' ? `This user is not a member of ${slug}.` : `This client has no role in ${slug}.`,
  };
}

function sortedKeys(catalog: Catalog, ids: string[]): string[] {
  const keys = new Array<string>(ids.length);
  for (let i = 0; i < ids.length; i++) keys[i] = catalog.roles.get(ids[i]!)?.key ?? ids[i]!;
  return isSorted(keys, cmp) ? keys : keys.sort(cmp);
}

function byKey(a: EffectiveRole, b: EffectiveRole): number {
  return cmp(a.key, b.key);
}

/** The order decide lists permissions in (audience, then value); catalogs kept in it spare decide a sort. */
export function byAudienceAndValue(a: PermissionRef, b: PermissionRef): number {
  return cmp(a.audience, b.audience) || cmp(a.value, b.value);
}

/** The union of the roles' permissions (only `audience`'s when given), sorted, without duplicates (the catalog's own objects, shared, never changed). */
function permissionsOf(roles: EffectiveRole[], catalog: Catalog, audience: string | undefined): PermissionRef[] {
  const all: PermissionRef[] = [];
  for (const r of roles) {
    for (const p of catalog.roles.get(r.id)!.permissions) if (audience === undefined || p.audience === audience) all.push(p);
  }
  if (!isSorted(all, byAudienceAndValue)) all.sort(byAudienceAndValue);
  const out: PermissionRef[] = [];
  let last: PermissionRef | undefined;
  for (const p of all) {
    if (last !== undefined && last.audience === p.audience && last.value === p.value) continue;
    out.push(p);
    last = p;
  }
  return out;
}

/** Catalogs the snapshot builds keep lists in order, so the sorts below are usually skipped. */
function isSorted<T>(list: readonly T[], compare: (a: T, b: T) => number): boolean {
  for (let i = 1; i < list.length; i++) if (compare(list[i - 1]!, list[i]!) > 0) return false;
  return true;
}

/** The order decide lists role keys in (plain code-unit order, as in every answer). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function allow(roles: EffectiveRole[], permissions: PermissionRef[], reason: Reason): Decision {
  return { allow: true, roles, permissions, reason };
}

function deny(roles: EffectiveRole[], permissions: PermissionRef[], reason: Reason): Decision {
  return { allow: false, roles, permissions, reason };
}
