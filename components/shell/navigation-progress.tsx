'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useState } from 'react';
import { TopProgressBar } from '@/components/ui/progress-bar';
import { isPlainClick, isSamePage, linkOf, sameTabUrl } from '@/lib/client-navigation';

/**
 * A bar across the top while a navigation is on its way. Next's `useLinkStatus` reports only the link it sits in and
 * skips prefetched routes, and the console's pages are dynamic (each one checks the session and loads data), so the
 * wait between a click and the next screen is real on every link. This listens for clicks on same-site links
 * anywhere in the page and shows the bar until the URL changes; a link to the page already shown starts nothing.
 */
export function NavigationProgress() {
  return (
    <Suspense fallback={null}>
      <Progress />
    </Suspense>
  );
}

function Progress() {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const [pendingFrom, setPendingFrom] = useState<string | null>(null);
  const here = search ? `${pathname}?${search}` : pathname;
  // The URL changed: the navigation arrived (or another replaced it). Adjusted while rendering, as React advises for
  // state that follows a prop.
  const [shown, setShown] = useState(here);
  if (shown !== here) {
    setShown(here);
    setPendingFrom(null);
  }

  useEffect(() => {
    function onClick(event: MouseEvent) {
      const link = linkOf(event.target);
      const url = link && isPlainClick(event) ? sameTabUrl(link, window.location.origin) : null;
      if (!url || url.pathname.startsWith('/auth/') || url.pathname.startsWith('/api/')) return;
      if (isSamePage(url, window.location)) return;
      setPendingFrom(window.location.pathname + window.location.search);
    }
    // Capture phase: next/link calls preventDefault in its own click handler (it navigates itself), which runs first
    // when the event bubbles, so a bubbling listener would take every link click for one it should ignore.
    document.addEventListener('click', onClick, true);
    return () => document.removeEventListener('click', onClick, true);
  }, []);

  // A bar left over from a navigation that failed is cleared after a while rather than staying forever.
  const pending = pendingFrom !== null;
  useEffect(() => {
    if (!pending) return;
    const timer = window.setTimeout(() => setPendingFrom(null), 15_000);
    return () => window.clearTimeout(timer);
  }, [pending]);

  return (
    <>
      <div role="status" aria-live="polite" className="sr-only">
        {pending ? 'Loading page…' : ''}
      </div>
      {pending && <TopProgressBar />}
    </>
  );
}
