'use client';

import { ChecklistEditor } from '@/components/forms/checklist-editor';
import { Badge } from '@/components/ui/badge';
import type { ActionResult } from '@/lib/actions/define-action';
import { ACCESS_POLICY_LABELS, APP_TYPE_LABELS, type AccessPolicy, type AppType } from '@/lib/vocabulary';

interface Choice {
  id: string;
  name: string;
  type: AppType;
  clientId: string;
  accessPolicy: AccessPolicy;
}

/** Chooses the applications a role is mapped to; saves the whole set at once. */
export function RoleApplicationsEditor({
  roleId,
  roleName,
  applications,
  selected,
  truncated,
  action,
}: {
  roleId: string;
  roleName: string;
  applications: Choice[];
  selected: string[];
  truncated: boolean;
  action: (input: { roleId: string; applicationIds: string[] }) => Promise<ActionResult<{ changed: boolean }>>;
}) {
  return (
    <ChecklistEditor
      groups={[
        {
          id: 'applications',
          legend: `Applications mapped to ${roleName}`,
          legendHidden: true,
          items: applications.map((a) => ({
            id: a.id,
            text: `${a.name} ${a.clientId}`,
            label: (
              <>
                {a.name}
                <span className="mt-0.5 flex flex-wrap gap-1">
                  <Badge variant="outline">{APP_TYPE_LABELS[a.type]}</Badge>
                  <Badge variant="secondary">{ACCESS_POLICY_LABELS[a.accessPolicy]}</Badge>
                </span>
              </>
            ),
          })),
        },
      ]}
      selected={selected}
      save={(applicationIds) => action({ roleId, applicationIds })}
      savedMessage={`Saved the applications of ${roleName}`}
      section="Applications"
      saveLabel="Save applications"
      filterLabel="Filter applications"
      noMatch="No application matches"
      empty="There are no applications yet. Register one under Applications, then map it here."
      truncatedNotice={truncated ? 'Only the first applications are listed here; the ones this role is mapped to are always included.' : undefined}
    />
  );
}
