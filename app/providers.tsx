'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { z } from 'zod';
import { FlashMessage } from '@/components/shell/flash-message';
import { Toaster } from '@/components/ui/toaster';
import { TooltipProvider } from '@/components/ui/tooltip';

// In the browser, zod would probe for eval (new Function) to compile parsers; the CSP refuses eval, and Chromium
// reports the refused probe as a violation even though zod catches it. The server keeps the compiled parsers.
if (typeof window !== 'undefined') z.config({ jitless: true });

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: 1 } },
      }),
  );
  // Marks the document as interactive; end-to-end tests wait for it before they click (a click that lands before
  // hydration would submit a form natively or open no menu).
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true';
  }, []);
  return (
    <QueryClientProvider client={client}>
      <TooltipProvider delayDuration={200}>
        {children}
        <Toaster />
        <FlashMessage />
      </TooltipProvider>
    </QueryClientProvider>
  );
}
