'use client';

import { useState } from 'react';
import { ConfirmAction } from '@/components/forms/confirm-action';
import type { ActionResult } from '@/lib/actions/define-action';
import { PLATFORM_RANK } from '@/lib/authz/permissions';
import { PLATFORM_ROLE_LABELS, PLATFORM_ROLES, type PlatformRole } from '@/lib/vocabulary';

type SetRole = (input: { userId: string; role: PlatformRole }) => Promise<ActionResult<unknown>>;

const selectClass =
  'flex h-8 rounded-md border border-input bg-background px-2 py-1 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring';

/** A staff member's platform role: pick another and confirm (NONE revokes it). */
export function PlatformRoleControl({
  userId,
  email,
  current,
  action,
  self = false,
}: {
  userId: string;
  email: string;
  current: PlatformRole;
  action: SetRole;
  /** The signed-in person's own row: only lower roles are offered. */
  self?: boolean;
}) {
  const [role, setRole] = useState<PlatformRole>(current);
  const id = `role-${userId}`;
  const revoking = role === 'NONE';
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="sr-only">
        Platform role of {email}
      </label>
      <select id={id} value={role} onChange={(e) => setRole(e.target.value as PlatformRole)} className={selectClass}>
        {PLATFORM_ROLES.filter((r) => !self || PLATFORM_RANK[r] <= PLATFORM_RANK[current]).map((r) => (
          <option key={r} value={r}>
            {r === 'NONE' ? 'None (revoke)' : PLATFORM_ROLE_LABELS[r]}
          </option>
        ))}
      </select>
      <ConfirmAction
        label="Change"
        ariaLabel={`Change the platform role of ${email}`}
        size="sm"
        disabled={role === current}
        title={revoking ? `Revoke ${email}’s platform role?` : `Make ${email} ${PLATFORM_ROLE_LABELS[role].toLowerCase()}?`}
        description={
          revoking
            ? 'They lose access to the platform area at once.'
            : `They get what ${PLATFORM_ROLE_LABELS[role].toLowerCase()} may do on the platform from their next request on.`
        }
        confirmLabel={revoking ? 'Revoke role' : 'Change role'}
        destructive={revoking || current === 'SUPERADMIN'}
        done={`Changed the platform role of ${email}`}
        input={{ userId, role }}
        action={action}
      />
    </div>
  );
}
