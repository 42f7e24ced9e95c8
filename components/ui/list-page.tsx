import type { ReactNode } from 'react';
import { ListView, type ListViewProps } from './list-view';
import { PageHeader } from './page-header';

export type ListPageProps<T> = ListViewProps<T> & {
  title: string;
  description?: string;
  /** Header buttons, e.g. "New role". */
  actions?: ReactNode;
  /** Shown between the header and the list (e.g. a create form). */
  before?: ReactNode;
  /** Shown after the list and its pagination. */
  after?: ReactNode;
};

/**
 * A whole list screen: the page header, then the list (search, filters, table or empty state, keyset pagination).
 * Pages parse their URL with parseListParams, load a page from lib/data and describe the columns; see
 * app/(platform)/platform/roles/page.tsx for a small example.
 */
export function ListPage<T>({ title, description, actions, before, after, ...list }: ListPageProps<T>) {
  return (
    <div className="space-y-6">
      <PageHeader title={title} description={description} actions={actions} />
      {before}
      <ListView {...list} />
      {after}
    </div>
  );
}
