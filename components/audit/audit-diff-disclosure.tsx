'use client';

import { useState } from 'react';
import type { AuditDiffLine } from '@/lib/audit-sentences';
import { AuditDiffLines } from './audit-diff-lines';

/**
 * An audit list row's before/after on demand: a native disclosure (keyboard and screen readers as the browser gives
 * them) whose table is rendered when it is opened. The lines come from the server (diffAudit); rendering fifty hidden
 * tables up front doubled the audit pages' HTML and RSC payload and most of their server time (ADR 0009).
 */
export function AuditDiffDisclosure({ lines, label }: { lines: AuditDiffLine[]; label: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="mt-1 text-xs" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="cursor-pointer text-muted-foreground hover:text-foreground">
        Changes<span className="sr-only"> of {label}</span>
      </summary>
      {open && (
        <div className="mt-2 max-w-xl">
          <AuditDiffLines lines={lines} caption={`Before and after: ${label}`} />
        </div>
      )}
    </details>
  );
}
