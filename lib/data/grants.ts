import 'server-only';
import { canManageMember } from '@/lib/authz/policy';
import type { OrgContext, PlatformContext } from '@/lib/authz/types';
import type { Tx } from '@/lib/db';
import { AppError, isForeignKeyViolation } from '@/lib/errors';
import { TIER_LABELS, type Tier } from '@/lib/vocabulary';
import { upsertRoleAssignment } from './assignments';
import { lockOrg } from './orgs';

/**
 * The one path by which an org member's org-scoped role is given or taken: the members page, the org matrix, the
 * platform matrix and assignment pages, invitation acceptance (and the import) all call `grantOrgRole` /
 * `revokeOrgRole`. Each takes the org lock (lockOrg) first, so a grant never races a removal, then reads the
 * membership and applies `canManageMember` for an org actor against the target's tier. Platform actors act by
 * their platform permission (checked by requirePlatform) and bypass the tier rules, as the policy says; an
 * invitation's roles were checked when it was sent (canAssignTier) and are given by the invitee accepting it.
 */

/** Who is changing the role: a member in their org, platform staff, or an invitee accepting an invitation. */
export type RoleChanger = OrgContext | PlatformContext | { invitation: { id: string } };

/** The member whose role changes, after the org lock and the tier check. */
export interface LockedMember {
  userId: string;
  tier: Tier;
}

function isOrgActor(by: RoleChanger): by is OrgContext {
  return 'org' in by;
}

/**
 * Takes the org lock, reads the member, and refuses when an org actor may not manage someone of the member's tier.
 * NOT_FOUND when the user is not (any more) a member of the org.
 */
export async function lockMemberForRoleChange(tx: Tx, by: RoleChanger, orgId: string, userId: string): Promise<LockedMember> {
  await lockOrg(tx, orgId);
  const member = await tx.membership.findUnique({ where: { orgId_userId: { orgId, userId } }, select: { userId: true, tier: true } });
  if (!member) throw new AppError('NOT_FOUND', 'That person is not a member of this organization.');
  if (isOrgActor(by) && !canManageMember(by.actor, member.tier)) {
    throw new AppError('FORBIDDEN', `You cannot change the roles of a member who is ${TIER_LABELS[member.tier].toLowerCase()}.`);
  }
  return member;
}

/**
 * Gives a member an org-scoped role (no expiry; an expired row is renewed) under the org lock and the tier rules.
 * `changed` is false when they already held it. A removal that wins a race answers NOT_FOUND, never INTERNAL: the
 * foreign key from role_assignments to memberships is the last guard, and its violation is mapped here.
 */
export async function grantOrgRole(
  tx: Tx,
  by: RoleChanger,
  input: { orgId: string; userId: string; roleId: string; grantedById: string | null },
): Promise<{ id: string; changed: boolean; member: LockedMember }> {
  const member = await lockMemberForRoleChange(tx, by, input.orgId, input.userId);
  try {
    const row = await upsertRoleAssignment(tx, { roleId: input.roleId, orgId: input.orgId, userId: member.userId, grantedById: input.grantedById });
    return { ...row, member };
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new AppError('NOT_FOUND', 'That person is not a member of this organization any more.');
    throw error;
  }
}

/**
 * Takes org-scoped roles from a member under the org lock and the tier rules: one assignment by id, or every row of
 * one role. Returns the deleted rows' ids (none when there was nothing to revoke).
 */
export async function revokeOrgRole(
  tx: Tx,
  by: RoleChanger,
  input: { orgId: string; userId: string } & ({ assignmentId: string } | { roleId: string }),
): Promise<{ deleted: number; member: LockedMember }> {
  const member = await lockMemberForRoleChange(tx, by, input.orgId, input.userId);
  const which = 'assignmentId' in input ? { id: input.assignmentId } : { roleId: input.roleId };
  const { count } = await tx.roleAssignment.deleteMany({ where: { ...which, orgId: input.orgId, userId: member.userId } });
  return { deleted: count, member };
}
