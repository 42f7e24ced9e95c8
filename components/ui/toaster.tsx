'use client';

import { X } from 'lucide-react';
import { useSyncExternalStore } from 'react';
import { cn } from '@/lib/utils/cn';

interface Toast {
  id: number;
  title: string;
  description?: string;
  variant?: 'default' | 'destructive';
  /** Milliseconds on screen (5 seconds unless said). */
  duration?: number;
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

function dismiss(id: number) {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

/** Shows a short message in the polite live region; it goes away after 5 seconds (or `duration`). */
export function toast(t: Omit<Toast, 'id'>) {
  const id = nextId++;
  toasts = [...toasts, { ...t, id }];
  emit();
  setTimeout(() => dismiss(id), t.duration ?? 5000);
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
const EMPTY: Toast[] = [];

export function Toaster() {
  const items = useSyncExternalStore(subscribe, () => toasts, () => EMPTY);
  return (
    <div aria-live="polite" className="pointer-events-none fixed bottom-4 right-4 z-50 flex w-80 flex-col gap-2">
      {items.map((t) => (
        <div
          key={t.id}
          role={t.variant === 'destructive' ? 'alert' : 'status'}
          className={cn(
            'pointer-events-auto flex items-start justify-between gap-3 rounded-md border border-border bg-background p-3 shadow-lg',
            t.variant === 'destructive' && 'border-destructive/40',
          )}
        >
          <div className="text-sm">
            <p className="font-medium">{t.title}</p>
            {t.description && <p className="text-muted-foreground">{t.description}</p>}
          </div>
          <button type="button" aria-label="Dismiss notification" onClick={() => dismiss(t.id)} className="rounded p-0.5 hover:bg-muted">
            <X aria-hidden className="size-4" />
          </button>
        </div>
      ))}
    </div>
  );
}
