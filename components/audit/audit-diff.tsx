import { diffAudit } from '@/lib/audit-sentences';
import { AuditDiffLines } from './audit-diff-lines';

/** An event's before/after as a table (AuditDiffLines), rendered on the server. */
export function AuditDiffTable({ before, after, caption }: { before: unknown; after: unknown; caption: string }) {
  return <AuditDiffLines lines={diffAudit(before, after)} caption={caption} />;
}
