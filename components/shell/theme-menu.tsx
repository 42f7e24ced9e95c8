'use client';

import { Monitor, Moon, Sun } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { DropdownMenu, DropdownMenuContent, DropdownMenuLabel, DropdownMenuRadioGroup, DropdownMenuRadioItem, DropdownMenuTrigger } from '@/components/ui/dropdown-menu';
import { THEME_COOKIE, THEMES, parseTheme, themeClass, type Theme } from '@/lib/theme';

const LABELS: Record<Theme, string> = { system: 'Same as system', light: 'Light', dark: 'Dark' };

/**
 * Light, dark or the system's setting. The choice goes into a cookie (a year) that the root layout reads, so the next
 * page arrives with the right class on <html> and never flashes the other scheme; this page changes at once.
 */
export function ThemeMenu({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState<Theme>(initial);
  function choose(value: string) {
    const next = parseTheme(value);
    setTheme(next);
    const root = document.documentElement;
    root.classList.remove('light', 'dark');
    const cls = themeClass(next);
    if (cls) root.classList.add(cls);
    root.dataset.theme = next;
    document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
  }
  const Icon = theme === 'dark' ? Moon : theme === 'light' ? Sun : Monitor;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={`Colour scheme: ${LABELS[theme]}`}>
          <Icon aria-hidden className="size-4" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-48">
        <DropdownMenuLabel>Colour scheme</DropdownMenuLabel>
        <DropdownMenuRadioGroup value={theme} onValueChange={choose}>
          {THEMES.map((t) => (
            <DropdownMenuRadioItem key={t} value={t}>
              {LABELS[t]}
            </DropdownMenuRadioItem>
          ))}
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
