'use client';

import { useOptimisticToggles } from '@/components/forms/use-optimistic-toggles';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import type { ActionResult } from '@/lib/actions/define-action';

/**
 * Maps roles to an application from the application's page, one box per role, each click saved at once (through
 * the role editor's own data function, so both screens change mappings the same way).
 */
export function ApplicationRolesEditor({
  applicationId,
  applicationName,
  roles,
  mapped,
  action,
}: {
  applicationId: string;
  applicationName: string;
  roles: { id: string; key: string; name: string; builtIn: boolean }[];
  mapped: string[];
  action: (input: { applicationId: string; roleId: string; mapped: boolean }) => Promise<ActionResult<{ changed: boolean }>>;
}) {
  const boxes = useOptimisticToggles(mapped, (roleId, on) => action({ applicationId, roleId, mapped: on }), { failedTitle: 'Mapping not changed' });
  if (roles.length === 0) return <p className="text-sm text-muted-foreground">There are no roles yet. Create one under Roles.</p>;
  return (
    <div className="space-y-3">
      {boxes.error && <Alert variant="destructive">{boxes.error.message} The boxes show what is saved.</Alert>}
      <fieldset className="grid gap-2 sm:grid-cols-2">
        <legend className="sr-only">Roles mapped to {applicationName}</legend>
        {roles.map((r) => (
          <label key={r.id} className="flex items-start gap-2 text-sm">
            <input type="checkbox" className="mt-1" checked={boxes.isOn(r.id)} aria-busy={boxes.isSaving(r.id) || undefined} onChange={(e) => boxes.toggle(r.id, e.target.checked)} />
            <span className="min-w-0 break-words">
              {r.name} <code className="font-mono text-xs text-muted-foreground">{r.key}</code>
              {r.builtIn && (
                <Badge variant="secondary" className="ml-1">
                  Built-in
                </Badge>
              )}
              {boxes.isSaving(r.id) && <span className="ml-1 text-xs text-muted-foreground">Saving…</span>}
            </span>
          </label>
        ))}
      </fieldset>
    </div>
  );
}
