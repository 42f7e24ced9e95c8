'use client';

import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { isPlainClick, isSamePage, linkOf, sameTabUrl } from '@/lib/client-navigation';

/**
 * One page, several sections that save on their own (the role page: details, permissions, applications). The
 * provider knows which sections hold unsaved changes, so a section's "saved" can say what is still unsaved elsewhere,
 * and leaving the page with unsaved changes asks first: the browser's own prompt on reload/close (beforeunload) and a
 * confirm on in-app links (client-side navigation never fires beforeunload).
 */
interface UnsavedChanges {
  setDirty: (section: string, dirty: boolean) => void;
  /** The other sections with unsaved changes, by name. */
  othersDirty: (section: string) => string[];
  /** The sections the page knows to hold unsaved changes: what "Unsaved changes" shows, and what leaving asks about. */
  dirty: ReadonlySet<string>;
}

const Ctx = createContext<UnsavedChanges | null>(null);

export const LEAVE_MESSAGE = 'You have unsaved changes on this page. Leave without saving them?';

export function UnsavedChangesProvider({ children }: { children: ReactNode }) {
  const [dirty, setDirtySet] = useState<ReadonlySet<string>>(new Set());
  const dirtyRef = useRef(dirty);
  useEffect(() => {
    dirtyRef.current = dirty;
  }, [dirty]);
  const setDirty = useCallback((section: string, on: boolean) => {
    setDirtySet((prev) => {
      if (prev.has(section) === on) return prev;
      const next = new Set(prev);
      if (on) next.add(section);
      else next.delete(section);
      return next;
    });
  }, []);
  const othersDirty = useCallback((section: string) => [...dirtyRef.current].filter((s) => s !== section), []);

  const any = dirty.size > 0;
  // A layout effect: the listeners are in place in the same commit that shows a section as unsaved, so nothing that
  // can see "Unsaved changes" on the page can leave it without being asked.
  useLayoutEffect(() => {
    if (!any) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      e.returnValue = '';
    };
    const onClick = (e: MouseEvent) => {
      const link = linkOf(e.target);
      const url = link && isPlainClick(e) ? sameTabUrl(link, location.origin) : null;
      if (!url || isSamePage(url, location)) return;
      if (!window.confirm(LEAVE_MESSAGE)) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    // Capture phase: runs before Next's Link handler starts the client-side navigation.
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [any]);

  const value = useMemo(() => ({ setDirty, othersDirty, dirty }), [setDirty, othersDirty, dirty]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

/**
 * Reports a section's unsaved state to the page (no-op outside a provider) and returns whether to show it as unsaved
 * (once the page knows, so leaving asks) and what to say after it saves: "Saved X" alone, or with the sections that
 * still hold unsaved changes.
 */
export function useUnsavedSection(
  section: string,
  dirty: boolean,
): { isUnsaved: boolean; savedMessage: (saved: string) => { title: string; description?: string } } {
  const ctx = useContext(Ctx);
  const setDirty = ctx?.setDirty;
  useLayoutEffect(() => {
    setDirty?.(section, dirty);
  }, [setDirty, section, dirty]);
  useEffect(() => () => setDirty?.(section, false), [setDirty, section]);
  return {
    isUnsaved: ctx ? ctx.dirty.has(section) : dirty,
    savedMessage: (saved) => {
      const others = ctx?.othersDirty(section) ?? [];
      return others.length === 0
        ? { title: saved }
        : { title: saved, description: `${others.join(' and ')} still ${others.length === 1 ? 'has' : 'have'} unsaved changes: save ${others.length === 1 ? 'it' : 'them'} too.` };
    },
  };
}
