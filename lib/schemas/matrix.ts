import { z } from 'zod';
import { USER_APP_TYPES } from '@/lib/vocabulary';
import { text } from './text';

/** Filters of the access matrix, from the URL (bad values fall back to defaults rather than failing the page). */
export const MatrixFilters = z.object({
  subjects: z.enum(['users', 'clients']).catch('users'),
  q: text({ max: 100 }).optional().catch(undefined).transform((s) => s || undefined),
  roleId: z.string().uuid().optional().catch(undefined),
  appType: z.enum(USER_APP_TYPES).optional().catch(undefined),
  /** One application's column only (people), or one API's (clients: the audience). */
  appId: text({ max: 300 }).optional().catch(undefined).transform((s) => s || undefined),
  /** Rows with at least one allowed (or denied) cell among the columns shown. */
  outcome: z.enum(['allowed', 'denied']).optional().catch(undefined),
  sort: z.enum(['name', 'last_sign_in']).catch('name'),
  cursor: text({ max: 500, exact: true }).optional().catch(undefined),
  limit: z.coerce.number().int().min(1).max(200).optional().catch(undefined),
});
export type MatrixFilters = z.infer<typeof MatrixFilters>;

/** The URL names of the "allowed only" / "denied only" filter. */
export const MATRIX_OUTCOMES = ['allowed', 'denied'] as const;

export const PlatformMatrixFilters = MatrixFilters.extend({
  orgSlug: text({ max: 48 }).optional().catch(undefined).transform((s) => s || undefined),
});
export type PlatformMatrixFilters = z.infer<typeof PlatformMatrixFilters>;

/** Reads filters from URLSearchParams or a Next searchParams object. */
export function matrixFiltersFrom(params: URLSearchParams | Record<string, string | string[] | undefined>) {
  const get = (k: string) => {
    const v = params instanceof URLSearchParams ? params.get(k) : params[k];
    return (Array.isArray(v) ? v[0] : v) ?? undefined;
  };
  return PlatformMatrixFilters.parse({
    subjects: get('subjects'),
    q: get('q'),
    roleId: get('role'),
    appType: get('type'),
    appId: get('app'),
    outcome: get('show'),
    sort: get('sort'),
    cursor: get('cursor'),
    limit: get('limit'),
    orgSlug: get('org'),
  });
}

export const GrantFromOrgMatrixInput = z.object({ userId: z.string().uuid('Pick a member.'), roleId: z.string().uuid('Pick a role.') });
export const RevokeFromMatrixInput = z.object({ assignmentId: z.string().uuid('That assignment does not exist.') });
export const GrantFromPlatformMatrixInput = z.object({
  subject: z.enum(['users', 'clients']),
  subjectId: z.string().uuid('Pick a user or client.'),
  roleId: z.string().uuid('Pick a role.'),
  orgSlug: text({ max: 48 }).optional(),
});
