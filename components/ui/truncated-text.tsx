'use client';

import { useLayoutEffect, useRef, useState } from 'react';
import { cn } from '@/lib/utils/cn';
import { Tooltip, TooltipContent, TooltipTrigger } from './tooltip';

/**
 * Text that may be too long for its place (an org name at its limit, an email, a list of role names): one line cut
 * with an ellipsis, and — only when it was cut — a tooltip with the whole text on hover and on keyboard focus. The
 * whole text stays in the page, so screen readers and search read it all.
 */
export function TruncatedText({ text, className }: { text: string; className?: string }) {
  const ref = useRef<HTMLSpanElement>(null);
  const [cut, setCut] = useState(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setCut(el.scrollWidth > el.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [text]);
  // One tree whether cut or not, so the observed element stays the same one.
  return (
    <Tooltip>
      <TooltipTrigger asChild>
        <span ref={ref} tabIndex={cut ? 0 : undefined} className={cn('block max-w-[16rem] truncate', className)}>
          {text}
        </span>
      </TooltipTrigger>
      {cut && <TooltipContent className="break-words">{text}</TooltipContent>}
    </Tooltip>
  );
}
