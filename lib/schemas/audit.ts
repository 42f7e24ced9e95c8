import { z } from 'zod';
import { AUDIT_ACTIONS } from '@/lib/audit';
import { text } from './text';

/**
 * Filters of the audit logs, from the URL (a bad value means "no filter", never an error page): the org (slug or id;
 * platform only), the actor (user id or email), the action, the target (`type:id` or an id) and a time range
 * (days, inclusive, UTC). Shared by the pages and their CSV / JSON Lines exports so an export is exactly the filter.
 */
const Day = text({ max: 10, exact: true })
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)));

const Optional = <S extends z.ZodType>(s: S) => s.optional().catch(undefined);
const Term = (max: number) => Optional(text({ max }).transform((s) => s.trim() || undefined));

export const AuditFilters = z.object({
  org: Term(100),
  actor: Term(320),
  action: Optional(z.enum(AUDIT_ACTIONS)),
  target: Term(600),
  from: Optional(Day),
  to: Optional(Day),
  cursor: Optional(text({ max: 500, exact: true }).regex(/^[A-Za-z0-9_-]+$/)),
});
export type AuditFilters = z.infer<typeof AuditFilters>;

/** The names the URL uses for the filters (the same as the fields). */
export const AUDIT_FILTER_PARAMS = ['org', 'actor', 'action', 'target', 'from', 'to'] as const;

/** Reads the filters from URLSearchParams or a Next searchParams object. */
export function auditFiltersFrom(params: URLSearchParams | Record<string, string | string[] | undefined>): AuditFilters {
  const get = (k: string) => {
    const v = params instanceof URLSearchParams ? params.get(k) : params[k];
    return (Array.isArray(v) ? v[0] : v) || undefined;
  };
  return AuditFilters.parse(Object.fromEntries([...AUDIT_FILTER_PARAMS, 'cursor'].map((k) => [k, get(k)])));
}

/** The filters as URL parameters (for links to the next page and to the exports). */
export function auditFilterQuery(f: AuditFilters): Record<string, string | undefined> {
  return Object.fromEntries(AUDIT_FILTER_PARAMS.map((k) => [k, f[k]]));
}

export const ExportFormat = z.enum(['csv', 'jsonl']).catch('csv');
