import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AuditEventDto } from '@/lib/data/audit-events';
import { auditColumns } from './audit-log';
import { platformAuditHref } from './audit-sentence';

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

/** The "What happened" cell of the global audit log, as the server sends it. */
function eventCell(e: AuditEventDto): string {
  const column = auditColumns(platformAuditHref, { showOrg: true, detailHref: (x) => `/platform/audit/${x.id}` }).find((c) => c.id === 'event')!;
  return renderToStaticMarkup(createElement('div', null, column.cell(e) as ReactElement));
}

describe('the audit log rows', () => {
  it('read as a sentence whose people are links, with no wrapper elements around the text', () => {
    const html = eventCell(event());
    expect(html.replace(/<!-- -->/g, '')).toContain(
      '<a class="named-link" href="/platform/users/u-owner">Olive Owner</a> made <a class="named-link" href="/platform/users/u-emp">Eve Employee</a> an admin',
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
});
