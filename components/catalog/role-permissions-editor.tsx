'use client';

import { useRouter } from 'next/navigation';
import { useId, useMemo, useState } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { toast } from '@/components/ui/toaster';
import type { ActionResult } from '@/lib/actions/define-action';

interface Group {
  api: { id: string; name: string; identifier: string };
  permissions: { id: string; value: string; description: string }[];
}

function sameSet(a: Set<string>, b: readonly string[]): boolean {
  return a.size === b.length && b.every((x) => a.has(x));
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
  const router = useRouter();
  const id = useId();
  const [chosen, setChosen] = useState(() => new Set(selected));
  const [filter, setFilter] = useState('');
  const save = useActionMutation(action, {
    onSuccess: (r) => {
      toast({ title: r.changed ? `Saved the permissions of ${roleName}` : 'Nothing changed' });
      router.refresh();
    },
  });
  const f = filter.trim().toLowerCase();
  const visible = useMemo(
    () =>
      groups
        .map((g) => ({
          ...g,
          permissions: f
            ? g.permissions.filter((p) => `${g.api.name} ${g.api.identifier} ${p.value} ${p.description}`.toLowerCase().includes(f))
            : g.permissions,
        }))
        .filter((g) => g.permissions.length > 0),
    [groups, f],
  );
  const dirty = !sameSet(chosen, selected);
  function toggle(permissionId: string, on: boolean) {
    setChosen((prev) => {
      const next = new Set(prev);
      if (on) next.add(permissionId);
      else next.delete(permissionId);
      return next;
    });
  }
  if (groups.length === 0) {
    return <p className="text-sm text-muted-foreground">There are no permissions yet. Add an API and its permissions first, then choose them here.</p>;
  }
  return (
    <div className="space-y-4">
      {save.publicError && <Alert variant="destructive">{save.publicError.message}</Alert>}
      {truncated && (
        <Alert variant="warning">Only the first permissions are listed here; the ones this role grants are always included.</Alert>
      )}
      <div className="max-w-sm">
        <label htmlFor={`${id}-filter`} className="sr-only">
          Filter permissions
        </label>
        <Input id={`${id}-filter`} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Filter permissions" />
      </div>
      {visible.length === 0 && <p className="text-sm text-muted-foreground">No permission matches “{filter}”.</p>}
      <div className="space-y-4">
        {visible.map((g) => (
          <fieldset key={g.api.id} className="space-y-2 rounded-md border border-border p-3">
            <legend className="px-1 text-sm font-medium">{g.api.name}</legend>
            <p className="text-xs text-muted-foreground">{g.api.identifier}</p>
            <div className="grid gap-2 sm:grid-cols-2">
              {g.permissions.map((p) => (
                <label key={p.id} className="flex items-start gap-2 text-sm">
                  <input type="checkbox" className="mt-1" checked={chosen.has(p.id)} onChange={(e) => toggle(p.id, e.target.checked)} />
                  <span>
                    <code className="font-mono">{p.value}</code>
                    {p.description && <span className="block text-muted-foreground">{p.description}</span>}
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
        ))}
      </div>
      <div className="flex items-center gap-3">
        <Button type="button" loading={save.isPending} disabled={!dirty} onClick={() => save.mutate({ roleId, permissionIds: [...chosen] })}>
          Save permissions
        </Button>
        <span className="text-sm text-muted-foreground" aria-live="polite">
          {chosen.size} chosen{dirty ? ', not saved yet' : ''}
        </span>
      </div>
    </div>
  );
}
