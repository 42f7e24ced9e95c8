'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { clientNavigationTarget, linkOf, prefetchTarget } from '@/lib/client-navigation';

/**
 * Client-side navigation for PlainLink (components/ui/plain-link.tsx), delegated: one listener for the whole document
 * instead of one component per link. Which clicks it takes is lib/client-navigation.ts. Mounted once, in the root layout.
 */
export function ClientNavigation() {
  const router = useRouter();
  useEffect(() => {
    function onClick(event: MouseEvent) {
      const anchor = linkOf(event.target);
      const href = anchor && clientNavigationTarget(event, anchor, window.location.origin);
      if (!href) return;
      event.preventDefault();
      router.push(href);
    }
    function onIntent(event: Event) {
      const anchor = linkOf(event.target);
      const href = anchor && prefetchTarget(anchor, window.location.origin);
      // The router keeps what it prefetched, and for how long, itself.
      if (href) router.prefetch(href);
    }
    // Bubbling: a handler nearer the link (or the navigation progress bar's, in the capture phase) sees the click first.
    document.addEventListener('click', onClick);
    document.addEventListener('pointerover', onIntent, { passive: true });
    document.addEventListener('focusin', onIntent);
    return () => {
      document.removeEventListener('click', onClick);
      document.removeEventListener('pointerover', onIntent);
      document.removeEventListener('focusin', onIntent);
    };
  }, [router]);
  return null;
}
