'use client';

import { LogOut, MonitorX } from 'lucide-react';
import { useRef, useState } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Avatar } from '@/components/ui/avatar';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import type { ActionResult } from '@/lib/actions/define-action';

export type SignOutEverywhereAction = (input: { confirm: true }) => Promise<ActionResult<{ ended: number }>>;

export function UserMenu({ name, email, signOutEverywhere }: { name: string | null; email: string; signOutEverywhere: SignOutEverywhereAction }) {
  const display = name ?? email;
  const [confirming, setConfirming] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  // Every session is gone once the action answers; the logout route then clears this browser's cookie and signs
  // out at the identity provider (a full navigation, as for "Sign out").
  const everywhere = useActionMutation(signOutEverywhere, { onSuccess: () => window.location.assign(new URL('/auth/logout', window.location.origin).href) });
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button ref={trigger} variant="ghost" size="sm" className="gap-2" aria-label={`Account menu for ${display}`}>
            <Avatar name={display} className="size-7" />
            <span className="hidden max-w-40 truncate sm:inline">{display}</span>
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-60">
          <DropdownMenuLabel>
            <span className="block truncate">{display}</span>
            {name && <span className="block truncate text-xs font-normal text-muted-foreground">{email}</span>}
          </DropdownMenuLabel>
          <DropdownMenuSeparator />
          <DropdownMenuItem asChild>
            {/* A full navigation: the SDK's logout route clears the session and signs out at the provider. */}
            <a href="/auth/logout" className="flex items-center gap-2">
              <LogOut aria-hidden className="size-4" /> Sign out
            </a>
          </DropdownMenuItem>
          <DropdownMenuItem className="flex items-center gap-2" onSelect={() => setConfirming(true)}>
            <MonitorX aria-hidden className="size-4" /> Sign out everywhere…
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Sign out everywhere?"
        description="This ends your sessions in every browser and on every device, this one included. You will need to sign in again."
        error={everywhere.publicError?.message}
        confirmLabel="Sign out everywhere"
        pending={everywhere.isPending || everywhere.isSuccess}
        destructive
        onConfirm={() => everywhere.mutate({ confirm: true })}
        returnFocusRef={trigger}
      />
    </>
  );
}
