/**
 * The rules for a click on a link that the page's document-level listeners share: the navigation progress bar
 * (components/shell/navigation-progress.tsx), the unsaved-changes prompt (components/forms/unsaved-changes.tsx) and
 * the client-side navigation of plain in-app links (`PlainLink`, components/ui/plain-link.tsx;
 * components/shell/client-navigation.tsx). A click with a modifier key (new tab, new window, save), a middle click, or
 * one some other handler already took is the browser's; so is a link that opens elsewhere (another tab or window, a
 * download, another origin). Framework-free apart from `linkOf`, so the rules are unit-tested
 * (lib/client-navigation.test.ts).
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
  /** Marked with CLIENT_NAV_ATTRIBUTE (a PlainLink). */
  marked: boolean;
}

/** The link an event happened in (the nearest `a[href]` around its target), or null. */
export function linkOf(target: EventTarget | null): NavAnchor | null {
  const element = (target as Element | null)?.closest?.('a[href]');
  if (!(element instanceof HTMLAnchorElement)) return null;
  return { href: element.href, target: element.target, download: element.hasAttribute('download'), marked: element.hasAttribute(CLIENT_NAV_ATTRIBUTE) };
}

/** A left click without a modifier key that no other handler has taken. */
export function isPlainClick(click: NavClick): boolean {
  return !click.defaultPrevented && click.button === 0 && !click.metaKey && !click.ctrlKey && !click.shiftKey && !click.altKey;
}

/** Where the link leads, when following it keeps this tab on this origin (no other target, no download); else null. */
export function sameTabUrl(anchor: NavAnchor, origin: string): URL | null {
  if (anchor.download || (anchor.target !== '' && anchor.target !== '_self')) return null;
  try {
    const url = new URL(anchor.href);
    return url.origin === origin ? url : null;
  } catch {
    return null;
  }
}

/** Whether the URL is the page the browser shows now (path and query alike; a hash alone does not leave the page). */
export function isSamePage(url: URL, here: { pathname: string; search: string }): boolean {
  return url.pathname === here.pathname && url.search === here.search;
}

/** For a marked link: the path, query and hash to navigate to on the client, or null to let the browser follow it. */
export function clientNavigationTarget(click: NavClick, anchor: NavAnchor, origin: string): string | null {
  if (!isPlainClick(click)) return null;
  const url = anchor.marked ? sameTabUrl(anchor, origin) : null;
  return url && url.pathname + url.search + url.hash;
}

/** For a marked link: the path and query to prefetch when a pointer or the keyboard focus reaches it, or null. */
export function prefetchTarget(anchor: NavAnchor, origin: string): string | null {
  const url = anchor.marked ? sameTabUrl(anchor, origin) : null;
  return url && url.pathname + url.search;
}
