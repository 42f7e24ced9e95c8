import { describe, expect, it } from 'vitest';
import { clientNavigationTarget, isPlainClick, isSamePage, prefetchTarget, sameTabUrl, type NavAnchor, type NavClick } from './client-navigation';

const ORIGIN = 'https://console.example.test';
const click = (over: Partial<NavClick> = {}): NavClick => ({
  button: 0,
  metaKey: false,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  defaultPrevented: false,
  ...over,
});
const anchor = (over: Partial<NavAnchor> = {}): NavAnchor => ({ href: `${ORIGIN}/platform/orgs/1?tab=a#m`, target: '', download: false, marked: true, ...over });

describe('which link clicks become a client-side navigation', () => {
  it('takes a plain left click on a marked same-origin link, keeping its query and hash', () => {
    expect(clientNavigationTarget(click(), anchor(), ORIGIN)).toBe('/platform/orgs/1?tab=a#m');
    expect(clientNavigationTarget(click(), anchor({ target: '_self' }), ORIGIN)).toBe('/platform/orgs/1?tab=a#m');
  });

  it('leaves to the browser what asks for a new tab or window, a download, or another button', () => {
    // HTML's "follow the hyperlink" with modifier keys is the browser's (new tab, new window, save as).
    for (const key of ['metaKey', 'ctrlKey', 'shiftKey', 'altKey'] as const) expect(clientNavigationTarget(click({ [key]: true }), anchor(), ORIGIN)).toBeNull();
    expect(clientNavigationTarget(click({ button: 1 }), anchor(), ORIGIN)).toBeNull();
    expect(clientNavigationTarget(click(), anchor({ target: '_blank' }), ORIGIN)).toBeNull();
    expect(clientNavigationTarget(click(), anchor({ download: true }), ORIGIN)).toBeNull();
  });

  it('leaves unmarked links, other origins and clicks another handler took', () => {
    expect(clientNavigationTarget(click(), anchor({ marked: false }), ORIGIN)).toBeNull();
    expect(clientNavigationTarget(click(), anchor({ href: 'https://evil.example/platform' }), ORIGIN)).toBeNull();
    expect(clientNavigationTarget(click(), anchor({ href: 'http://console.example.test/platform' }), ORIGIN)).toBeNull();
    expect(clientNavigationTarget(click({ defaultPrevented: true }), anchor(), ORIGIN)).toBeNull();
    expect(prefetchTarget(anchor({ href: 'not a url' }), ORIGIN)).toBeNull();
  });

  it('prefetches the page a marked link leads to (its path and query)', () => {
    expect(prefetchTarget(anchor(), ORIGIN)).toBe('/platform/orgs/1?tab=a');
    expect(prefetchTarget(anchor({ marked: false }), ORIGIN)).toBeNull();
  });

  it('are the same for every listener: any link in this tab and origin, marked or not, for the progress bar and the unsaved-changes prompt', () => {
    expect(isPlainClick(click())).toBe(true);
    expect(isPlainClick(click({ ctrlKey: true }))).toBe(false);
    expect(isPlainClick(click({ defaultPrevented: true }))).toBe(false);
    expect(sameTabUrl(anchor({ marked: false }), ORIGIN)?.pathname).toBe('/platform/orgs/1');
    expect(sameTabUrl(anchor({ target: '_blank' }), ORIGIN)).toBeNull();
    expect(sameTabUrl(anchor({ target: 'report' }), ORIGIN)).toBeNull();
    expect(sameTabUrl(anchor({ download: true }), ORIGIN)).toBeNull();
    expect(sameTabUrl(anchor({ href: 'https://evil.example/x' }), ORIGIN)).toBeNull();
  });

  it('leave the page when the path or the query differs, not for a hash alone', () => {
    const here = { pathname: '/platform/orgs/1', search: '?tab=a' };
    expect(isSamePage(new URL(`${ORIGIN}/platform/orgs/1?tab=a`), here)).toBe(true);
    expect(isSamePage(new URL(`${ORIGIN}/platform/orgs/1?tab=a#members`), here)).toBe(true);
    expect(isSamePage(new URL(`${ORIGIN}/platform/orgs/1?tab=b`), here)).toBe(false);
    expect(isSamePage(new URL(`${ORIGIN}/platform/orgs/1`), here)).toBe(false);
    expect(isSamePage(new URL(`${ORIGIN}/platform/orgs/2?tab=a`), here)).toBe(false);
  });
});
