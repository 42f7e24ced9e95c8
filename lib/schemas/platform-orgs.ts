import { z } from 'zod';
import type { ListParams } from '@/lib/list-params';

export const PLATFORM_ORG_SORTS = ['name', 'members', 'created', 'last_sign_in'] as const;
export type PlatformOrgSort = (typeof PLATFORM_ORG_SORTS)[number];
/** Size filters by member count: [min, max] inclusive (max null: no upper bound). */
export const ORG_SIZES = { empty: [0, 0], small: [1, 9], medium: [10, 99], large: [100, 999], huge: [1000, null] } as const;
export type OrgSize = keyof typeof ORG_SIZES;
/** Created-range filters: within the last N days, or before the last 90. */
export const ORG_CREATED_RANGES = ['7', '30', '90', 'older'] as const;
export type OrgCreatedRange = (typeof ORG_CREATED_RANGES)[number];

export interface PlatformOrgFilters {
  q?: string;
  suspended?: boolean;
  created?: OrgCreatedRange;
  size?: OrgSize;
  sort?: { key: PlatformOrgSort; direction: 'asc' | 'desc' };
}


/** The organizations list's URL state, shared by the page and its CSV export so both read the same filter. */
export const PLATFORM_ORG_LIST_OPTIONS = {
  sorts: { keys: PLATFORM_ORG_SORTS, default: 'name' as const },
  filters: {
    status: z.enum(['active', 'suspended']),
    created: z.enum(ORG_CREATED_RANGES),
    size: z.enum(Object.keys(ORG_SIZES) as [OrgSize, ...OrgSize[]]),
  },
};

type OrgListParams = ListParams<PlatformOrgSort, typeof PLATFORM_ORG_LIST_OPTIONS.filters>;

/** The data layer's filter from the parsed URL state. */
export function platformOrgFilters(params: OrgListParams): PlatformOrgFilters {
  return {
    q: params.q,
    suspended: params.filters.status === undefined ? undefined : params.filters.status === 'suspended',
    created: params.filters.created,
    size: params.filters.size,
    sort: params.sort,
  };
}
