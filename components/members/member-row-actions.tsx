'use client';

import { MoreHorizontal } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { useOptimisticToggles } from '@/components/forms/use-optimistic-toggles';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Dialog, DialogClose, DialogContent } from '@/components/ui/dialog';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from '@/components/ui/dropdown-menu';
import { toast } from '@/components/ui/toaster';
import type { ActionResult } from '@/lib/actions/define-action';
import { TIER_LABELS, type Tier } from '@/lib/vocabulary';

type Id = { orgSlug: string; membershipId: string };

export interface MemberActions {
  changeMemberTier: (input: Id & { tier: Tier }) => Promise<ActionResult<unknown>>;
  grantMemberRole: (input: Id & { roleId: string }) => Promise<ActionResult<unknown>>;
  revokeMemberRole: (input: Id & { roleId: string }) => Promise<ActionResult<unknown>>;
  removeMember: (input: Id) => Promise<ActionResult<unknown>>;
  transferOwnership: (input: Id) => Promise<ActionResult<unknown>>;
}

/** The row menu on the members page. What it offers is decided on the server; the server checks again on every call. */
export function MemberRowActions({
  orgSlug,
  member,
  tiers,
  roles,
  canManageRoles,
  canRemove,
  canTransfer,
  actions,
}: {
  orgSlug: string;
  member: { membershipId: string; label: string; tier: Tier; roleIds: string[] };
  tiers: Tier[];
  roles: { id: string; name: string }[];
  canManageRoles: boolean;
  canRemove: boolean;
  canTransfer: boolean;
  actions: MemberActions;
}) {
  const router = useRouter();
  const [dialog, setDialog] = useState<null | 'roles' | 'remove' | 'transfer' | 'tier'>(null);
  // The menu item that opened a dialog is gone when it closes; focus goes back to the menu's button.
  const trigger = useRef<HTMLButtonElement>(null);
  // Making someone an owner, or an owner something else, asks first (like "Transfer ownership"); other tiers apply at once.
  const [tierToConfirm, setTierToConfirm] = useState<Tier | null>(null);
  const id: Id = { orgSlug, membershipId: member.membershipId };
  const done = (title: string) => () => {
    setDialog(null);
    toast({ title });
    router.refresh();
  };
  const tierM = useActionMutation(actions.changeMemberTier, {
    onSuccess: () => {
      setDialog(null);
      toast({ title: `Changed the tier of ${member.label}` });
      router.refresh();
    },
  });
  const roleBoxes = useOptimisticToggles(
    member.roleIds,
    (roleId, on) => (on ? actions.grantMemberRole : actions.revokeMemberRole)({ ...id, roleId }),
    { failedTitle: 'Role not changed' },
  );
  function chooseTier(t: Tier) {
    if (t === 'OWNER' || member.tier === 'OWNER') {
      setTierToConfirm(t);
      setDialog('tier');
    } else tierM.mutate({ ...id, tier: t });
  }
  const removeM = useActionMutation(actions.removeMember, { onSuccess: done(`Removed ${member.label}`) });
  const transferM = useActionMutation(actions.transferOwnership, { onSuccess: done(`${member.label} is now an owner; you are an admin`) });
  const otherTiers = tiers.filter((t) => t !== member.tier);
  if (otherTiers.length === 0 && !canManageRoles && !canRemove && !canTransfer) return null;
  const roleError = roleBoxes.error;
  const openAs = (which: 'roles' | 'remove' | 'transfer' | 'tier') => (open: boolean) => setDialog(open ? which : null);
  return (
    <>
      {tierM.publicError && (
        <span role="alert" className="mr-2 text-sm text-destructive">
          {tierM.publicError.message}
        </span>
      )}
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button ref={trigger} variant="ghost" size="icon" aria-label={`Actions for ${member.label}`} loading={tierM.isPending}>
            <MoreHorizontal aria-hidden className="size-4" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          {otherTiers.map((t) => (
            <DropdownMenuItem key={t} onSelect={() => chooseTier(t)}>
              Make {TIER_LABELS[t].toLowerCase()}
              {(t === 'OWNER' || member.tier === 'OWNER') && '…'}
            </DropdownMenuItem>
          ))}
          {canManageRoles && roles.length > 0 && <DropdownMenuItem onSelect={() => setDialog('roles')}>Manage roles…</DropdownMenuItem>}
          {canTransfer && <DropdownMenuItem onSelect={() => setDialog('transfer')}>Transfer ownership…</DropdownMenuItem>}
          {canRemove && (
            <>
              <DropdownMenuSeparator />
              <DropdownMenuItem className="text-destructive" onSelect={() => setDialog('remove')}>
                Remove from organization…
              </DropdownMenuItem>
            </>
          )}
        </DropdownMenuContent>
      </DropdownMenu>

      <Dialog open={dialog === 'roles'} onOpenChange={openAs('roles')}>
        <DialogContent
          returnFocusRef={trigger}
          title={`Roles of ${member.label}`} description="Roles in this organization decide which applications they can reach here. Changes apply at once.">
          {roleError && <Alert variant="destructive">{roleError.message} The box shows what is saved.</Alert>}
          <fieldset className="space-y-2">
            <legend className="sr-only">Roles</legend>
            {roles.map((r) => {
              const saving = roleBoxes.isSaving(r.id);
              return (
                <label key={r.id} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" checked={roleBoxes.isOn(r.id)} aria-busy={saving || undefined} onChange={(e) => roleBoxes.toggle(r.id, e.target.checked)} />
                  {r.name}
                  {saving && <span className="text-xs text-muted-foreground">Saving…</span>}
                </label>
              );
            })}
          </fieldset>
          <div className="flex justify-end">
            <DialogClose asChild>
              <Button variant="outline">Done</Button>
            </DialogClose>
          </div>
        </DialogContent>
      </Dialog>

      <ConfirmDialog
        open={dialog === 'remove'}
        onOpenChange={openAs('remove')}
        title={`Remove ${member.label}?`}
        description="They lose access to this organization and its roles at once. Their account and other organizations are not affected."
        error={removeM.publicError?.message}
        confirmLabel="Remove member"
        pending={removeM.isPending}
        destructive
        onConfirm={() => removeM.mutate(id)}
        returnFocusRef={trigger}
      />
      <ConfirmDialog
        open={dialog === 'tier'}
        onOpenChange={openAs('tier')}
        title={tierToConfirm === 'OWNER' ? `Make ${member.label} an owner?` : `Make ${member.label} ${tierToConfirm ? TIER_LABELS[tierToConfirm].toLowerCase() : ''}?`}
        description={
          tierToConfirm === 'OWNER'
            ? 'Owners hold every power here: they can manage and remove admins and other owners, and only an owner can demote them again.'
            : `They stop being an owner: they lose the owner's powers here at once. Only an owner can make them owner again.`
        }
        error={tierM.publicError?.message}
        confirmLabel={tierToConfirm === 'OWNER' ? 'Make owner' : `Make ${tierToConfirm ? TIER_LABELS[tierToConfirm].toLowerCase() : ''}`}
        pending={tierM.isPending}
        onConfirm={() => tierToConfirm && tierM.mutate({ ...id, tier: tierToConfirm })}
        returnFocusRef={trigger}
      />
      <ConfirmDialog
        open={dialog === 'transfer'}
        onOpenChange={openAs('transfer')}
        title={`Make ${member.label} the owner?`}
        description="They become an owner and you become an admin. Only an owner can make you owner again."
        error={transferM.publicError?.message}
        confirmLabel="Transfer ownership"
        pending={transferM.isPending}
        onConfirm={() => transferM.mutate(id)}
        returnFocusRef={trigger}
      />
    </>
  );
}

