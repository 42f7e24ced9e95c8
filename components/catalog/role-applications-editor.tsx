'use client';

import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { toast } from '@/components/ui/toaster';
import type { ActionResult } from '@/lib/actions/define-action';
import { ACCESS_POLICY_LABELS, APP_TYPE_LABELS, type AccessPolicy, type AppType } from '@/lib/schemas/catalog';

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
  const router = useRouter();
  const id = useId();
  const [chosen, setChosen] = useState(() => new Set(selected));
  const [filter, setFilter] = useState('');
  const save = useActionMutation(action, {
    onSuccess: (r) => {
      toast({ title: r.changed ? `Saved the applications of ${roleName}` : 'Nothing changed' });
      router.refresh();
    },
  });
  const f = filter.trim().toLowerCase();
  const visible = f ? applications.filter((a) => `${a.name} ${a.clientId}`.toLowerCase().includes(f)) : applications;
  const dirty = chosen.size !== selected.length || selected.some((x) => !chosen.has(x));
  function toggle(applicationId: string, on: boolean) {
    setChosen((prev) => {
      const next = new Set(prev);
      if (on) next.add(applicationId);
      else next.delete(applicationId);
      return next;
    });
  }
  if (applications.length === 0) {
    return <p className="text-sm text-muted-foreground">There are no applications yet. Register one under Applications, then map it here.</p>;
  }
  return (
    <div className="space-y-4">
      {save.publicError && <Alert variant="destructive">{save.publicError.message}</Alert>}
      {truncated && <Alert variant="warning">Only the first applications are listed here; the ones this role is mapped to are always included.</Alert>}
      <div className="max-w-sm">
        <label htmlFor={`${id}-filter`} className="sr-only">
          Filter applications
        </label>
        <Input id={`${id}-filter`} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Filter applications" />
      </div>
      <fieldset className="space-y-2">
        <legend className="sr-only">Applications mapped to {roleName}</legend>
        {visible.length === 0 && <p className="text-sm text-muted-foreground">No application matches “{filter}”.</p>}
        <div className="grid gap-2 sm:grid-cols-2">
          {visible.map((a) => (
            <label key={a.id} className="flex items-start gap-2 text-sm">
              <input type="checkbox" className="mt-1" checked={chosen.has(a.id)} onChange={(e) => toggle(a.id, e.target.checked)} />
              <span>
                {a.name}
                <span className="mt-0.5 flex flex-wrap gap-1">
                  <Badge variant="outline">{APP_TYPE_LABELS[a.type]}</Badge>
                  <Badge variant="secondary">{ACCESS_POLICY_LABELS[a.accessPolicy]}</Badge>
                </span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex items-center gap-3">
        <Button type="button" loading={save.isPending} disabled={!dirty} onClick={() => save.mutate({ roleId, applicationIds: [...chosen] })}>
          Save applications
        </Button>
        <span className="text-sm text-muted-foreground" aria-live="polite">
          {chosen.size} chosen{dirty ? ', not saved yet' : ''}
        </span>
      </div>
    </div>
  );
}
