import { cn } from '@/lib/utils/cn';

/** Initials in a circle; decorative next to a visible name, so hidden from assistive technology. */
export function Avatar({ name, className }: { name: string; className?: string }) {
  const initials =
    name
      .split(/[\s@.]+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((p) => p[0]?.toUpperCase())
      .join('') || '?';
  return (
    <span aria-hidden className={cn('inline-flex size-8 items-center justify-center rounded-full bg-secondary text-xs font-semibold text-secondary-foreground', className)}>
      {initials}
    </span>
  );
}
