'use client';

import { usePathname } from 'next/navigation';
import { useEffect } from 'react';
import { toast } from '@/components/ui/toaster';
import { FLASH_COOKIE, FLASH_MAX_LENGTH } from '@/lib/flash';

/** Shows the one-time message a server action left for this page (lib/flash.ts), then clears it. */
export function FlashMessage() {
  const pathname = usePathname();
  useEffect(() => {
    const entry = document.cookie.split('; ').find((c) => c.startsWith(`${FLASH_COOKIE}=`));
    if (!entry) return;
    document.cookie = `${FLASH_COOKIE}=; path=/; max-age=0; samesite=lax`;
    let message: string;
    try {
      message = decodeURIComponent(entry.slice(FLASH_COOKIE.length + 1)).slice(0, FLASH_MAX_LENGTH);
    } catch {
      return;
    }
    if (message) toast({ title: message, duration: 15_000 });
  }, [pathname]);
  return null;
}
