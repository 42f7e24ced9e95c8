'use client';

import { Check, Copy } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * Copies `text` and says so in a polite live region next to the button. `label` names what is copied
 * ("the post-login Action code"); the button's accessible name is "Copy <label>".
 */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<CopyState>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  async function copy() {
    clearTimeout(timer.current);
    const ok = await writeClipboard(text);
    setState(ok ? 'copied' : 'failed');
    timer.current = setTimeout(() => setState('idle'), 6000);
  }

  return (
    <div className="flex items-center gap-2">
      <Button type="button" size="sm" variant="outline" onClick={copy} aria-label={`Copy ${label}`}>
        {state === 'copied' ? <Check aria-hidden className="size-4" /> : <Copy aria-hidden className="size-4" />}
        Copy
      </Button>
      <span role="status" className="text-sm text-muted-foreground">
        {state === 'copied' ? `Copied ${label} to the clipboard.` : state === 'failed' ? `Could not copy; select ${label} and copy it by hand.` : ''}
      </span>
    </div>
  );
}

/** The Clipboard API needs a secure context (https or localhost); elsewhere fall back to a selected textarea. */
async function writeClipboard(text: string): Promise<boolean> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission refused or document not focused: try the fallback.
    }
  }
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
    focused?.focus();
  }
}
