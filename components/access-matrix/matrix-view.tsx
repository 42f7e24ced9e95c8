import Link from 'next/link';
import { Download } from 'lucide-react';
import { Button, buttonVariants } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import type { LoadedCatalog } from '@/lib/access/load';
import type { MatrixPage } from '@/lib/data/matrix';
import { listHref } from '@/lib/list-params';
import type { PlatformMatrixFilters } from '@/lib/schemas/matrix';
import { APP_TYPE_LABELS, USER_APP_TYPES } from '@/lib/vocabulary';
import { cn } from '@/lib/utils/cn';
import { AccessMatrix, type MatrixScope, type RoleSummary } from './access-matrix';
import { OrgCombobox } from './org-combobox';

const SELECT =
  'flex h-9 rounded-md border border-input bg-background px-2 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring';

/** The filter query string the grid, the export and the tabs share (everything but the cursor). */
export function filterQuery(f: PlatformMatrixFilters, overrides: Partial<Record<string, string | undefined>> = {}): Record<string, string | undefined> {
  return {
    subjects: f.subjects === 'clients' ? 'clients' : undefined,
    q: f.q,
    role: f.roleId,
    type: f.appType,
    sort: f.sort === 'last_sign_in' ? 'last_sign_in' : undefined,
    org: f.orgSlug,
    app: f.appId,
    show: f.outcome,
    ...overrides,
  };
}

/** What each grantable role also grants, for the confirm step of a grant. */
export function roleSummaries(catalog: LoadedCatalog): Record<string, RoleSummary> {
  const appName = new Map(catalog.applications.map((a) => [a.id, a.name]));
  return Object.fromEntries(
    catalog.roleList
      .filter((r) => r.tier === null)
      .map((r) => [
        r.id,
        {
          key: r.key,
          name: r.name,
          applications: r.applicationIds.map((id) => appName.get(id) ?? id).sort(),
          permissions: r.permissions.map((p) => `${p.value} (${p.audience})`).sort(),
        },
      ]),
  );
}

/** Filters (a GET form, so the URL holds them), tabs, CSV export, and the grid. */
export function MatrixView({
  base,
  rowsUrl,
  exportUrl,
  filters,
  page,
  catalog,
  canWrite,
  scope,
  orgPicker,
}: {
  base: string;
  rowsUrl: string;
  exportUrl: string;
  filters: PlatformMatrixFilters;
  page: MatrixPage;
  catalog: LoadedCatalog;
  canWrite: boolean;
  scope: MatrixScope;
  /** The platform matrix's organization filter: the search route and the org in the filter (with its name). */
  orgPicker?: { searchUrl: string; current: { slug: string; name?: string } | null };
}) {
  const query = filterQuery(filters);
  const audiences = [...new Set(catalog.roleList.flatMap((r) => r.permissions.map((p) => p.audience)))].sort();
  const appChoices =
    filters.subjects === 'clients'
      ? audiences.map((a) => ({ id: a, name: a }))
      : catalog.applications.filter((a) => a.type !== 'M2M').map((a) => ({ id: a.id, name: a.name }));
  const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => Boolean(e[1]))).toString();
  return (
    <div className="space-y-4">
      <nav aria-label="Rows">
        <ul className="flex gap-2">
          {(['users', 'clients'] as const).map((s) => (
            <li key={s}>
              <Link
                href={listHref(base, filterQuery(filters, { subjects: s === 'clients' ? 'clients' : undefined }))}
                aria-current={filters.subjects === s ? 'page' : undefined}
                className="rounded-full border px-3 py-1 text-sm hover:bg-muted aria-[current=page]:bg-primary aria-[current=page]:text-primary-foreground"
              >
                {s === 'users' ? 'People' : 'M2M clients'}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <form action={base} method="get" className="flex flex-wrap items-end gap-3" aria-label="Filter the matrix">
        {filters.subjects === 'clients' && <input type="hidden" name="subjects" value="clients" />}
        <label className="grid gap-1 text-sm">
          <span>Search</span>
          <Input name="q" type="search" defaultValue={filters.q} placeholder={filters.subjects === 'clients' ? 'Name or client id' : 'Name or email'} className="w-56" maxLength={100} />
        </label>
        {orgPicker && <OrgCombobox name="org" label="Organization" searchUrl={orgPicker.searchUrl} initial={orgPicker.current} />}
        <label className="grid gap-1 text-sm">
          <span>{filters.subjects === 'clients' ? 'API' : 'Application'}</span>
          <select name="app" defaultValue={filters.appId ?? ''} className={cn(SELECT, 'max-w-56')}>
            <option value="">{filters.subjects === 'clients' ? 'All APIs' : 'All applications'}</option>
            {appChoices.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label className="grid gap-1 text-sm">
          <span>Show</span>
          <select name="show" defaultValue={filters.outcome ?? ''} className={SELECT}>
            <option value="">Allowed and denied</option>
            <option value="allowed">Allowed only</option>
            <option value="denied">Denied only</option>
          </select>
        </label>
        <label className="grid gap-1 text-sm">
          <span>Role</span>
          <select name="role" defaultValue={filters.roleId ?? ''} className={SELECT}>
            <option value="">Any role</option>
            {catalog.roleList.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        {filters.subjects === 'users' && (
          <label className="grid gap-1 text-sm">
            <span>Application type</span>
            <select name="type" defaultValue={filters.appType ?? ''} className={SELECT}>
              <option value="">All types</option>
              {USER_APP_TYPES.map((t) => (
                <option key={t} value={t}>
                  {APP_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </label>
        )}
        {filters.subjects === 'users' && (
          <label className="grid gap-1 text-sm">
            <span>Sort by</span>
            <select name="sort" defaultValue={filters.sort} className={SELECT}>
              <option value="name">Name</option>
              <option value="last_sign_in">Last sign-in</option>
            </select>
          </label>
        )}
        <Button type="submit" variant="secondary">
          Apply filters
        </Button>
        <a href={`${exportUrl}${qs ? `?${qs}` : ''}`} className={buttonVariants({ variant: 'outline' })} download>
          <Download aria-hidden className="size-4" />
          Export CSV
        </a>
      </form>
      <AccessMatrix
        key={qs}
        rowsUrl={rowsUrl}
        query={qs}
        subjects={filters.subjects}
        initialPage={page}
        roles={roleSummaries(catalog)}
        canWrite={canWrite}
        scope={scope}
      />
    </div>
  );
}
