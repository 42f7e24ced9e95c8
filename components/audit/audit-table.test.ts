import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AuditEventDto } from '@/lib/data/audit-events';
import { auditRows } from './audit-rows';
import { platformAuditHref } from './audit-sentence';
import { AuditTable } from './audit-table';

const event = (over: Partial<AuditEventDto> = {}): AuditEventDto => ({
  id: '42',
  at: '2026-12-01T10:00:00.000Z',
  action: 'member.tier_changed',
  actor: { type: 'user', id: 'u-owner', label: 'Olive Owner' },
  org: { id: 'o-1', label: 'Acme', slug: 'acme', known: true },
  target: { type: 'user', id: 'u-emp', label: 'Eve Employee', known: true },
  before: { tier: 'EMPLOYEE' },
  after: { tier: 'ADMIN' },
  requestId: null,
  ip: null,
  ...over,
});

const platformRows = (events: AuditEventDto[]) => auditRows(events, platformAuditHref, { showOrg: true, detailHref: (x) => `/platform/audit/${x.id}` });

/** The "What happened" cell of the global audit log, as the server renders the table. */
function eventCell(e: AuditEventDto): string {
  const html = renderToStaticMarkup(createElement(AuditTable, { caption: 'Audit events', rows: platformRows([e]), showOrg: true }));
  const cells = [...html.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!);
  return cells[1]!;
}

describe('the audit log rows', () => {
  it('read as a sentence whose people are links, with no wrapper elements around the text', () => {
    const html = eventCell(event());
    // Plain links, marked for the document's client-side navigation (lib/client-navigation.ts).
    expect(html.replace(/<!-- -->/g, '')).toContain(
      '<a class="named-link" href="/platform/users/u-owner" data-nav="">Olive Owner</a> made <a class="named-link" href="/platform/users/u-emp" data-nav="">Eve Employee</a> an admin',
    );
    expect(html).not.toContain('<span>');
  });

  it('offer the before/after as a closed disclosure whose table is rendered only when it is opened', () => {
    const html = eventCell(event());
    expect(html).toMatch(/<details[^>]*><summary[^>]*>Changes<span class="sr-only"> of (<!-- -->)?Olive Owner made Eve Employee an admin<\/span><\/summary><\/details>/);
    // Fifty hidden tables were half of the page's HTML and RSC payload; the values arrive as the client
    // component's props (the lines), and the table is drawn on the toggle event (e2e: platform-people.spec).
    expect(html).not.toContain('<table');
    expect(html).not.toContain('EMPLOYEE');
  });

  it('offer no disclosure for an event that recorded neither a before nor an after', () => {
    expect(eventCell(event({ before: null, after: null }))).not.toContain('<details');
  });

  it('reach the browser as data: the changed fields, never the raw values, the request id or the address', () => {
    const e = event({ before: { tier: 'EMPLOYEE', name: 'Eve' }, after: { tier: 'ADMIN', name: 'Eve' }, requestId: 'req-123', ip: '203.0.113.9' });
    const [row] = platformRows([e]);
    expect(row!.changes).toEqual([{ path: 'tier', before: 'EMPLOYEE', after: 'ADMIN' }]);
    const sent = JSON.stringify(row);
    expect(sent).not.toContain('req-123');
    expect(sent).not.toContain('203.0.113.9');
    expect(row).toMatchObject({ detailHref: '/platform/audit/42', org: { label: 'Acme', href: '/platform/orgs/o-1' } });
  });

  it('name what the viewer may not open as plain text, and an org deleted since without a link', () => {
    const [row] = auditRows([event({ org: { id: 'o-1', label: 'Gone Inc', slug: null, known: false } })], () => null, { showOrg: true });
    expect(row!.sentence.filter((p) => typeof p !== 'string').every((p) => typeof p !== 'string' && p.href === null)).toBe(true);
    expect(row!.org).toEqual({ label: 'Gone Inc', href: null });
    expect(row!.detailHref).toBeNull();
    const html = renderToStaticMarkup(createElement(AuditTable, { caption: 'Audit events', rows: [row!], showOrg: true }));
    expect(html).not.toContain('<a ');
    expect(html).toContain('<span class="font-medium">Olive Owner</span>');
  });
});
