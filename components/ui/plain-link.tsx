import type { ComponentProps } from 'react';
import { CLIENT_NAV_ATTRIBUTE } from '@/lib/client-navigation';

/**
 * An in-app link as a plain `<a>`, for the long lists (a page of audit events names ~200 people and things). next/link
 * is a client component with hooks and a viewport observer per link: on those pages it was the largest piece of our
 * own server work (ADR 0009). The document-level ClientNavigation (components/shell/client-navigation.tsx) turns a
 * plain click on it into a client-side navigation and prefetches on hover or focus; everything else (new tab, copy
 * link, no JavaScript yet) is the browser's, as for any link. Works in server and client components alike.
 */
export function PlainLink({ href, ...props }: Omit<ComponentProps<'a'>, 'href'> & { href: string }) {
  return <a {...props} href={href} {...{ [CLIENT_NAV_ATTRIBUTE]: '' }} />;
}
