import type { ReactNode } from 'react';
import { cookies } from 'next/headers';
import Link from 'next/link';
import { ShieldCheck } from 'lucide-react';
import { OrgSwitcher, type SwitcherOrg } from './org-switcher';
import { MobileNav, SidebarNav, type NavItem } from './sidebar-nav';
import { ThemeMenu } from './theme-menu';
import { THEME_COOKIE, parseTheme } from '@/lib/theme';
import { UserMenu, type SignOutEverywhereAction } from './user-menu';

/** The console frame: sidebar with the area's navigation, header with the org switcher and the user menu. */
export async function AppShell(props: {
  children: ReactNode;
  nav: NavItem[];
  navLabel: string;
  orgs: SwitcherOrg[];
  currentOrgSlug?: string;
  user: { name: string | null; email: string };
  /** The server action behind the user menu's "Sign out everywhere" (app/account/actions.ts). */
  signOutEverywhere: SignOutEverywhereAction;
  showPlatformLink: boolean;
  inPlatform?: boolean;
}) {
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <div className="flex min-h-screen">
      <aside className="hidden w-60 shrink-0 border-r border-border bg-muted/40 md:block">
        <div className="flex h-14 items-center gap-2 border-b border-border px-4">
          <ShieldCheck aria-hidden className="size-5 text-primary" />
          <Link href="/" className="font-semibold tracking-tight">
            Gatehouse
          </Link>
        </div>
        <SidebarNav items={props.nav} label={props.navLabel} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center justify-between gap-2 border-b border-border px-4 md:px-6">
          <div className="flex min-w-0 items-center gap-3">
            <OrgSwitcher orgs={props.orgs} currentSlug={props.currentOrgSlug} inPlatform={props.inPlatform ?? false} />
            {props.showPlatformLink && (
              <Link
                href="/platform"
                aria-current={props.inPlatform ? 'true' : undefined}
                className="rounded-md px-2 py-1 text-sm text-muted-foreground hover:bg-muted hover:text-foreground aria-[current=true]:font-medium aria-[current=true]:text-foreground"
              >
                Platform
              </Link>
            )}
          </div>
          <div className="flex shrink-0 items-center gap-1">
            <ThemeMenu initial={theme} />
            <UserMenu name={props.user.name} email={props.user.email} signOutEverywhere={props.signOutEverywhere} />
          </div>
        </header>
        <div className="border-b border-border md:hidden">
          <MobileNav items={props.nav} label={props.navLabel} />
        </div>
        <main id="main" className="mx-auto w-full min-w-0 max-w-6xl flex-1 break-words px-4 py-6 md:px-8 md:py-8">
          {props.children}
        </main>
      </div>
    </div>
  );
}
