import type { ReactNode } from 'react';
import { DangerZone } from '@/components/ui/danger-zone';
import { ConfirmAction, type ConfirmActionRun } from './confirm-action';

export type DeleteZoneProps<I, R> = ConfirmActionRun<I, R> & {
  /** What the page shows, in the words of its buttons: "role" gives "Delete this role" and "Delete role". */
  thing: string;
  /** How the dialog and the toast name it: "Delete <name>?", "Deleted <name>". */
  name: string;
  /** The card's line: what deleting touches (usually the usage summary). */
  description?: ReactNode;
  /** The dialog's line: what happens, said before it happens. */
  consequence: string;
  /** The list to return to: the page's own subject is gone. */
  redirectTo: string;
};

/** The one way a detail page offers to delete its subject: a danger-zone card whose button asks first. */
export function DeleteZone<I extends object, R>({ thing, name, description, consequence, redirectTo, ...run }: DeleteZoneProps<I, R>) {
  return (
    <DangerZone title={`Delete this ${thing}`} description={description}>
      <ConfirmAction
        {...run}
        label={`Delete ${thing}`}
        variant="destructive"
        title={`Delete ${name}?`}
        description={consequence}
        confirmLabel={`Delete ${thing}`}
        done={`Deleted ${name}`}
        redirectTo={redirectTo}
      />
    </DangerZone>
  );
}
