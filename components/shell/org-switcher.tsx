'use client';

import Link from 'next/link';
import { Check, ChevronsUpDown, Plus } from 'lucide-react';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Button } from '@/components/ui/button';

export interface SwitcherOrg {
  slug: string;
  name: string;
  tierLabel: string;
}

/** Switches org by URL: no new sign-in, the session stays the same. */
export function OrgSwitcher({ orgs, currentSlug, inPlatform }: { orgs: SwitcherOrg[]; currentSlug?: string; inPlatform: boolean }) {
  const current = orgs.find((o) => o.slug === currentSlug);
  const label = current ? current.name : inPlatform ? 'Choose an organization' : 'Organizations';
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="outline" size="sm" className="min-w-0 max-w-40 justify-between gap-2 sm:max-w-64" aria-label={`Switch organization (current: ${label})`}>
          <span className="truncate">{label}</span>
          <ChevronsUpDown aria-hidden className="size-4 opacity-60" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-64">
        <DropdownMenuLabel>Your organizations</DropdownMenuLabel>
        {orgs.length === 0 && <p className="px-2 py-1.5 text-sm text-muted-foreground">You belong to no organization yet.</p>}
        {orgs.map((o) => (
          <DropdownMenuItem key={o.slug} asChild>
            <Link href={`/orgs/${o.slug}`} className="flex items-center justify-between gap-2">
              <span className="min-w-0">
                <span className="block truncate">{o.name}</span>
                <span className="block text-xs text-muted-foreground">{o.tierLabel}</span>
              </span>
              {o.slug === currentSlug && <Check aria-label="current" className="size-4" />}
            </Link>
          </DropdownMenuItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/onboarding" className="flex items-center gap-2">
            <Plus aria-hidden className="size-4" /> Create an organization
          </Link>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
