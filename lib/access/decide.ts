import type { Decision, DecideInput, EffectiveRole, PermissionRef, Reason, RoleSource } from './types';

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

  const live = subject.assignments.filter((a) => a.expiresAt === null || a.expiresAt > now);
  const orgUsable = org !== null && !org.suspended;
  const belongs =
    org !== null &&
    (subject.kind === 'user'
      ? subject.membership !== null && subject.membership.orgId === org.id
      : live.some((a) => a.orgId === org.id && catalog.roles.has(a.roleId)));

  const byId = new Map<string, EffectiveRole>();
  const add = (roleId: string, source: RoleSource) => {
    const role = catalog.roles.get(roleId);
    if (!role) return;
    const existing = byId.get(roleId);
    if (existing) existing.sources.push(source);
    else byId.set(roleId, { id: role.id, key: role.key, name: role.name, sources: [source] });
  };
  if (orgUsable && belongs && subject.kind === 'user' && subject.membership) {
    const tier = subject.membership.tier;
    for (const role of catalog.roles.values()) if (role.tier === tier) add(role.id, { kind: 'tier', tier });
  }
  for (const a of live) {
    if (a.orgId === null) add(a.roleId, { kind: 'assignment', assignmentId: a.id, scope: 'global', expiresAt: a.expiresAt });
    else if (orgUsable && belongs && a.orgId === org.id) {
      add(a.roleId, { kind: 'assignment', assignmentId: a.id, scope: 'org', expiresAt: a.expiresAt });
    }
  }
  const roles = [...byId.values()].sort((a, b) => cmp(a.key, b.key));
  const permissions = permissionsOf(roles, catalog, input.audience);

  if (org !== null && org.suspended) {
    return deny(roles, permissions, { code: 'org_suspended', message: `The organization ${org.slug} is suspended.` });
  }
  const notMember = (): Reason => ({
    code: 'not_a_member',
    message:
      subject.kind === 'user'
        ? `This user is not a member of ${org!.slug}.`
        : `This client has no role in ${org!.slug}.`,
  });

  const keyOf = (roleId: string) => catalog.roles.get(roleId)?.key ?? roleId;
  const held = new Set(roles.map((r) => r.id));

  switch (target.kind) {
    case 'none': {
      if (org === null) return allow(roles, permissions, { code: 'no_org', message: 'No organization given: global roles only.' });
      if (!belongs) return deny(roles, permissions, notMember());
      return allow(roles, permissions, { code: 'member', message: `Belongs to ${org.slug}.` });
    }
    case 'application': {
      const app = target.application;
      if (app.accessPolicy === 'OPEN') {
        if (subject.kind === 'user' && org !== null && !belongs) return deny(roles, permissions, notMember());
        return allow(roles, permissions, { code: 'open_application', message: `${app.name} is open to ${org ? 'every member' : 'everyone signed in'}.` });
      }
      const mapped = [...new Set(app.roleIds)];
      if (mapped.length === 0) {
        return deny(roles, permissions, { code: 'no_roles_mapped', message: `${app.name} requires a role, and no role is mapped to it.` });
      }
      const have = mapped.filter((id) => held.has(id));
      const missing = mapped.filter((id) => !held.has(id));
      const sortedKeys = (ids: string[]) => ids.map(keyOf).sort(cmp);
      if (app.accessPolicy === 'ANY_ROLE') {
        if (have.length > 0) {
          const via = sortedKeys(have);
          return allow(roles, permissions, { code: 'granted_by_role', message: `Allowed by the role ${via.join(', ')}.`, via });
        }
        const want = sortedKeys(mapped);
        return deny(roles, permissions, { code: 'missing_role', message: `${app.name} needs one of the roles ${want.join(', ')}.`, missing: want });
      }
      if (missing.length === 0) {
        const via = sortedKeys(mapped);
        return allow(roles, permissions, { code: 'granted_by_role', message: `Allowed by holding all of ${via.join(', ')}.`, via });
      }
      const lacking = sortedKeys(missing);
      return deny(roles, permissions, { code: 'missing_roles', message: `${app.name} needs all of its roles; missing ${lacking.join(', ')}.`, missing: lacking });
    }
    case 'permission':
    case 'audience': {
      const grants = (p: PermissionRef) =>
        p.audience === target.audience && (target.kind === 'audience' || p.value === target.permission);
      const via = roles.filter((r) => catalog.roles.get(r.id)!.permissions.some(grants)).map((r) => r.key);
      const what = target.kind === 'permission' ? `${target.permission} on ${target.audience}` : `any permission on ${target.audience}`;
      if (via.length > 0) return allow(roles, permissions, { code: 'granted_by_role', message: `${what} is granted by ${via.join(', ')}.`, via });
      return deny(roles, permissions, { code: 'missing_permission', message: `No role here grants ${what}.` });
    }
  }
}

function permissionsOf(roles: EffectiveRole[], catalog: DecideInput['catalog'], audience: string | undefined): PermissionRef[] {
  const seen = new Map<string, PermissionRef>();
  for (const r of roles) {
    for (const p of catalog.roles.get(r.id)!.permissions) {
      if (audience !== undefined && p.audience !== audience) continue;
      seen.set(`${p.audience}\u0000${p.value}`, { audience: p.audience, value: p.value });
    }
  }
  return [...seen.values()].sort((a, b) => cmp(a.audience, b.audience) || cmp(a.value, b.value));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function allow(roles: EffectiveRole[], permissions: PermissionRef[], reason: Reason): Decision {
  return { allow: true, roles, permissions, reason };
}

function deny(roles: EffectiveRole[], permissions: PermissionRef[], reason: Reason): Decision {
  return { allow: false, roles, permissions, reason };
}
