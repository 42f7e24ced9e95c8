'use client';

import { ChecklistEditor } from '@/components/forms/checklist-editor';
import type { ActionResult } from '@/lib/actions/define-action';

interface Group {
  api: { id: string; name: string; identifier: string };
  permissions: { id: string; value: string; description: string }[];
}

/** Chooses the permissions a role grants, grouped by API; saves the whole set at once. */
export function RolePermissionsEditor({
  roleId,
  roleName,
  groups,
  selected,
  truncated,
  action,
}: {
  roleId: string;
  roleName: string;
  groups: Group[];
  selected: string[];
  truncated: boolean;
  action: (input: { roleId: string; permissionIds: string[] }) => Promise<ActionResult<{ changed: boolean }>>;
}) {
  return (
    <ChecklistEditor
      groups={groups.map((g) => ({
        id: g.api.id,
        legend: g.api.name,
        hint: g.api.identifier,
        items: g.permissions.map((p) => ({
          id: p.id,
          text: `${p.value} ${p.description}`,
          label: (
            <>
              <code className="font-mono">{p.value}</code>
              {p.description && <span className="block text-muted-foreground">{p.description}</span>}
            </>
          ),
        })),
      }))}
      selected={selected}
      save={(permissionIds) => action({ roleId, permissionIds })}
      savedMessage={`Saved the permissions of ${roleName}`}
      section="Permissions"
      saveLabel="Save permissions"
      filterLabel="Filter permissions"
      noMatch="No permission matches"
      empty="There are no permissions yet. Add an API and its permissions first, then choose them here."
      truncatedNotice={truncated ? 'Only the first permissions are listed here; the ones this role grants are always included.' : undefined}
    />
  );
}
