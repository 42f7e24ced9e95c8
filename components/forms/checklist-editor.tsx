'use client';

import { useRouter } from 'next/navigation';
import { useId, useMemo, useState, type ReactNode } from 'react';
import { useUnsavedSection } from '@/components/forms/unsaved-changes';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { toast } from '@/components/ui/toaster';
import type { ActionResult } from '@/lib/actions/define-action';
import { cn } from '@/lib/utils/cn';

export interface ChecklistItem {
  id: string;
  label: ReactNode;
  /** What the filter box matches against (names, keys, descriptions). */
  text: string;
}

export interface ChecklistGroup {
  id: string;
  /** The group's legend: what its boxes have in common. */
  legend: string;
  /** Read by screen readers only (a single group whose legend the heading above already says). */
  legendHidden?: boolean;
  /** A line under the legend, also matched by the filter. */
  hint?: string;
  items: ChecklistItem[];
}

/**
 * Chooses a set out of a list (grouped or not) with checkboxes and a filter box, and saves the whole set at once.
 * The chosen set lives here until saved: the count says what is not saved yet, and Save is off when nothing changed.
 */
export function ChecklistEditor({
  groups,
  selected,
  save,
  savedMessage,
  saveLabel,
  filterLabel,
  noMatch,
  empty,
  truncatedNotice,
  section,
}: {
  groups: ChecklistGroup[];
  selected: string[];
  save: (ids: string[]) => Promise<ActionResult<{ changed: boolean }>>;
  /** The toast after a save that changed something. */
  savedMessage: string;
  saveLabel: string;
  /** The filter box's name and placeholder, e.g. "Filter permissions". */
  filterLabel: string;
  /** Said when the filter hides everything, e.g. "No permission matches". */
  noMatch: string;
  /** Said instead of the editor when there is nothing to choose from. */
  empty: string;
  /** A warning shown when the server listed only part of the choices. */
  truncatedNotice?: string;
  /** The section's name on a page with several saves (UnsavedChangesProvider), e.g. "Permissions". */
  section?: string;
}) {
  const router = useRouter();
  const id = useId();
  const [chosen, setChosen] = useState(() => new Set(selected));
  // What the server holds: the baseline for "not saved yet", moved to the saved set as soon as a save succeeds.
  const [saved, setSaved] = useState(() => new Set(selected));
  const [filter, setFilter] = useState('');
  const dirty = chosen.size !== saved.size || [...saved].some((x) => !chosen.has(x));
  const unsaved = useUnsavedSection(section ?? 'This list', dirty);
  const saving = useActionMutation(save, {
    onSuccess: (r, ids) => {
      setSaved(new Set(ids));
      toast(unsaved.savedMessage(r.changed ? savedMessage : 'Nothing changed'));
      router.refresh();
    },
  });
  const f = filter.trim().toLowerCase();
  const visible = useMemo(
    () =>
      groups
        .map((g) => {
          // A visible legend is part of what people read, so it matches too; a hidden one only repeats the heading.
          const groupText = g.legendHidden ? '' : `${g.legend} ${g.hint ?? ''} `;
          return { ...g, items: f ? g.items.filter((i) => `${groupText}${i.text}`.toLowerCase().includes(f)) : g.items };
        })
        .filter((g) => g.items.length > 0),
    [groups, f],
  );
  function toggle(itemId: string, on: boolean) {
    setChosen((prev) => {
      const next = new Set(prev);
      if (on) next.add(itemId);
      else next.delete(itemId);
      return next;
    });
  }
  if (groups.every((g) => g.items.length === 0)) return <p className="text-sm text-muted-foreground">{empty}</p>;
  return (
    <div className="space-y-4">
      {saving.publicError && <Alert variant="destructive">{saving.publicError.message}</Alert>}
      {truncatedNotice && <Alert variant="warning">{truncatedNotice}</Alert>}
      <div className="max-w-sm">
        <label htmlFor={`${id}-filter`} className="sr-only">
          {filterLabel}
        </label>
        <Input id={`${id}-filter`} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder={filterLabel} />
      </div>
      {visible.length === 0 && (
        <p className="text-sm text-muted-foreground">
          {noMatch} “{filter}”.
        </p>
      )}
      <div className="space-y-4">
        {visible.map((g) => (
          <fieldset key={g.id} className={cn('space-y-2', !g.legendHidden && 'rounded-md border border-border p-3')}>
            <legend className={g.legendHidden ? 'sr-only' : 'px-1 text-sm font-medium'}>{g.legend}</legend>
            {g.hint && <p className="text-xs text-muted-foreground">{g.hint}</p>}
            <div className="grid gap-2 sm:grid-cols-2">
              {g.items.map((item) => (
                <label key={item.id} className="flex items-start gap-2 text-sm">
                  <input type="checkbox" className="mt-1" checked={chosen.has(item.id)} onChange={(e) => toggle(item.id, e.target.checked)} />
                  <span>{item.label}</span>
                </label>
              ))}
            </div>
          </fieldset>
        ))}
      </div>
      <div className="flex items-center gap-3">
        <Button type="button" loading={saving.isPending} disabled={!dirty} onClick={() => saving.mutate([...chosen])}>
          {saveLabel}
        </Button>
        <span className="text-sm text-muted-foreground" aria-live="polite">
          {chosen.size} chosen{unsaved.isUnsaved ? ', not saved yet' : ''}
        </span>
      </div>
    </div>
  );
}
