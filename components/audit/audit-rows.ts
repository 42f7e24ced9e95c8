import { formatDateTime } from '@/components/common/format';
import { auditSentence, diffAudit, sentenceText, type AuditDiffLine } from '@/lib/audit-sentences';
import type { AuditEventDto } from '@/lib/data/audit-events';
import { linkedSentence, type AuditHrefFor, type LinkedRef, type LinkedSentence } from './audit-sentence';

/**
 * One audit list row as the browser's table (audit-table.tsx) draws it: plain data, every decision already taken on
 * the server (the sentence, which names are links for this viewer, the changed fields). The event's raw before/after,
 * request id and address stay on the server; its page (/platform/audit/[id]) shows them.
 */
export interface AuditRow {
  id: string;
  when: string;
  /** The event's own page, for viewers who may open it. */
  detailHref: string | null;
  action: string;
  sentence: LinkedSentence;
  /** The sentence as text (names the row's "Changes" disclosure for screen readers). */
  text: string;
  /** The fields that changed; null when the event recorded neither a before nor an after. */
  changes: AuditDiffLine[] | null;
  /** The org the event belongs to (null: a platform event); left out when the table has no org column. */
  org?: LinkedRef | null;
}

export interface AuditRowOptions {
  /** The table has an Organization column (the global log, a user's trail). */
  showOrg?: boolean;
  detailHref?: (e: AuditEventDto) => string;
}

/** The one place an audit event becomes a list row, for the org log, the global log and a user's trail. */
export function auditRows(events: readonly AuditEventDto[], hrefFor: AuditHrefFor, opts: AuditRowOptions = {}): AuditRow[] {
  return events.map((e) => {
    const parts = auditSentence(e);
    const row: AuditRow = {
      id: e.id,
      when: formatDateTime(e.at),
      detailHref: opts.detailHref?.(e) ?? null,
      action: e.action,
      sentence: linkedSentence(parts, hrefFor),
      text: sentenceText(parts),
      changes: hasValues(e) ? diffAudit(e.before, e.after) : null,
    };
    if (opts.showOrg) row.org = e.org ? { label: e.org.label, href: e.org.known ? hrefFor({ kind: 'org', id: e.org.id, label: e.org.label }) : null } : null;
    return row;
  });
}

/** Whether the event recorded a before or an after (an event with neither has no "Changes" to open). */
function hasValues(e: AuditEventDto): boolean {
  return (e.before !== null && e.before !== undefined) || (e.after !== null && e.after !== undefined);
}
