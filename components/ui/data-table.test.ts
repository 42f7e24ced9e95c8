import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { listSortLinks, parseListParams } from '@/lib/list-params';
import { DataTable, type DataTableColumn } from './data-table';

interface Person {
  id: string;
  name: string;
  signedIn: string;
}

const people: Person[] = [
  { id: 'p1', name: 'Ada', signedIn: '2026-01-02' },
  { id: 'p2', name: 'Grace', signedIn: '2026-01-01' },
];

const columns: DataTableColumn<Person>[] = [
  { id: 'name', header: 'Name', sortable: true, cell: (p) => p.name },
  { id: 'last_sign_in', header: 'Last sign-in', sortable: true, sortDescFirst: true, cell: (p) => p.signedIn },
  { id: 'secret', header: 'Secret', hidden: true, cell: () => 'hidden value' },
];

const SORTS = { keys: ['name', 'last_sign_in'] as const, default: 'name' as const };

interface Cell {
  attrs: string;
  html: string;
  text: string;
  href?: string;
}

const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The markup React sends is regular enough to read the table's parts back with patterns (no DOM in the unit tests). */
function parts(html: string, tag: string): Cell[] {
  return [...html.matchAll(new RegExp(`<${tag}(\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => {
    const inner = m[2] ?? '';
    const href = /href="([^"]*)"/.exec(inner)?.[1];
    return { attrs: m[1] ?? '', html: inner, text: unescape(inner.replace(/<[^>]+>/g, '')), href: href && unescape(href) };
  });
}

const attr = (c: Cell | undefined, name: string) => (c ? new RegExp(`\\s${name}="([^"]*)"`).exec(c.attrs)?.[1] : undefined);

/** Renders the table as the server sends it. */
function render(sp: Record<string, string>, extra: Partial<Parameters<typeof DataTable<Person>>[0]> = {}): string {
  const params = parseListParams(sp, { sorts: SORTS });
  const html = renderToStaticMarkup(
    createElement(DataTable<Person>, {
      caption: 'People',
      columns,
      rows: people,
      getRowId: (p) => p.id,
      sortLinks: listSortLinks('/people', params),
      ...extra,
    }),
  );
  return html;
}

describe('DataTable', () => {
  it('is named by its caption, and its scroll region can be reached by keyboard', () => {
    const html = render({});
    expect(parts(html, 'caption').map((c) => c.text)).toEqual(['People']);
    const region = parts(html, 'div').find((d) => attr(d, 'role') === 'region');
    expect(attr(region, 'aria-label')).toBe('People');
    expect(attr(region, 'tabindex')).toBe('0');
  });

  it('renders a row per item with its visible cells, and leaves hidden columns out', () => {
    const html = render({});
    const body = parts(html, 'tbody')[0]!.html;
    expect(parts(body, 'tr').map((tr) => parts(tr.html, 'td').map((td) => td.text))).toEqual([
      ['Ada', '2026-01-02'],
      ['Grace', '2026-01-01'],
    ]);
    expect(html).not.toContain('Secret');
    expect(html).not.toContain('hidden value');
  });

  it('marks the sorted column with aria-sort and links each header to its next sort', () => {
    const [name, signIn] = parts(render({}), 'th');
    expect(attr(name, 'aria-sort')).toBe('ascending');
    expect(attr(signIn, 'aria-sort')).toBeUndefined();
    // Sorted ascending by name: its link turns it around; last sign-in starts descending.
    expect(name?.href).toBe('/people?sort=-name');
    expect(signIn?.href).toBe('/people?sort=-last_sign_in');
    expect([name?.text, signIn?.text]).toEqual(['Name', 'Last sign-in']);
  });

  it('keeps the search in sort links and drops the cursor', () => {
    const [name, signIn] = parts(render({ q: 'ada', sort: '-last_sign_in', cursor: 'bmV4dA' }), 'th');
    expect(attr(signIn, 'aria-sort')).toBe('descending');
    expect(signIn?.href).toBe('/people?q=ada&sort=last_sign_in');
    // Back to the default sort: the link leaves `sort` out.
    expect(name?.href).toBe('/people?q=ada');
  });

  it('renders plain headers when the list cannot sort', () => {
    const html = render({}, { sortLinks: undefined });
    expect(html).not.toContain('<a ');
    expect(html).not.toContain('aria-sort');
  });

  it('puts row actions in a last column whose header only screen readers read', () => {
    const html = render({}, { rowActions: (p) => createElement('button', { type: 'button' }, `Remove ${p.name}`) });
    const last = parts(html, 'th').at(-1);
    expect(last?.html).toBe('<span class="sr-only">Actions</span>');
    const body = parts(html, 'tbody')[0]!.html;
    expect(parts(body, 'tr').map((tr) => parts(tr.html, 'td').at(-1)?.text)).toEqual(['Remove Ada', 'Remove Grace']);
  });

  it("styles rows and cells from the table's class, and gives a cell only its column's own classes", () => {
    const html = render(
      {},
      {
        columns: [
          { id: 'name', header: 'Name', cell: (p) => p.name },
          { id: 'count', header: 'Count', align: 'right', className: 'tabular-nums px-1', cell: () => '3' },
        ],
      },
    );
    // .data-table (app/globals.css) pads the cells and borders the rows, once for the page instead of in every row.
    expect(attr(parts(html, 'table')[0], 'class')).toContain('data-table');
    const [first] = parts(parts(html, 'tbody')[0]!.html, 'tr');
    expect(first!.attrs).toBe('');
    expect(parts(first!.html, 'td').map((td) => td.attrs)).toEqual(['', ' class="text-right tabular-nums px-1"']);
  });
});
