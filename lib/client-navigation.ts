/**
 * Which clicks on a plain in-app link (`PlainLink`, components/ui/plain-link.tsx) the page turns into a client-side
 * navigation, as next/link does for its own: a plain left click on a link marked `data-nav`, to this origin, that opens
 * in this tab and is no download. A click with a modifier key (new tab, new window, save), a middle click, or one some
 * other handler already took is left to the browser. Framework-free, so its rules are unit-tested
 * (lib/client-navigation.test.ts); components/shell/client-navigation.tsx applies them.
 */

/** The data attribute that marks a link for client-side navigation. */
export const CLIENT_NAV_ATTRIBUTE = 'data-nav';

export interface NavClick {
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
}

export interface NavAnchor {
  /** The resolved URL (an anchor element's `href` property). */
  href: string;
  target: string;
  download: boolean;
  marked: boolean;
}

/** The path, query and hash to navigate to on the client, or null to let the browser follow the link. */
export function clientNavigationTarget(click: NavClick, anchor: NavAnchor, origin: string): string | null {
  if (click.defaultPrevented || click.button !== 0 || click.metaKey || click.ctrlKey || click.shiftKey || click.altKey) return null;
  const url = inAppUrl(anchor, origin);
  return url && url.pathname + url.search + url.hash;
}

/** The path and query to prefetch when a pointer or the keyboard focus reaches the link, or null. */
export function prefetchTarget(anchor: NavAnchor, origin: string): string | null {
  const url = inAppUrl(anchor, origin);
  return url && url.pathname + url.search;
}

function inAppUrl(anchor: NavAnchor, origin: string): URL | null {
  if (!anchor.marked || anchor.download || (anchor.target !== '' && anchor.target !== '_self')) return null;
  try {
    const url = new URL(anchor.href);
    return url.origin === origin ? url : null;
  } catch {
    return null;
  }
}
