import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { ClientNavigation } from '@/components/shell/client-navigation';
import { NavigationProgress } from '@/components/shell/navigation-progress';
import { THEME_COOKIE, parseTheme, themeClass } from '@/lib/theme';
import './globals.css';
import { Providers } from './providers';

// Every page is rendered per request, so Next can put this response's CSP nonce on its scripts (proxy.ts); a page
// prerendered at build time would carry scripts the policy refuses.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'Gatehouse', template: '%s · Gatehouse' },
  description: 'Who can reach what, per organization — for products that sign in with Auth0.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" className={themeClass(theme)} data-theme={theme}>
      <body className="min-h-screen bg-background text-foreground antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-4 focus:z-50 focus:rounded-md focus:bg-background focus:px-3 focus:py-2 focus:shadow"
        >
          Skip to content
        </a>
        <Providers>
          <NavigationProgress />
          <ClientNavigation />
          {children}
        </Providers>
      </body>
    </html>
  );
}
