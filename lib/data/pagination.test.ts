import { describe, expect, it } from 'vitest';
import { asc, byName, cursorSchema, decodeCursor, desc, encodeCursor, keyset, newestFirst, PgTimestampText } from './pagination';

const ID = '6f1c2b9e-8d4a-4c3e-9b7a-2e5d8f0a1b3c';

describe('keyset', () => {
  it('orders by the keys and reads "after the cursor" as: first key past, or equal and the next key past', () => {
    expect(byName.query({}).where).toEqual({});
    expect(byName.query({}).orderBy).toEqual([{ name: 'asc' }, { id: 'asc' }]);
    const q = byName.query({ cursor: encodeCursor({ name: 'Billing', id: ID }) });
    expect(q.where).toEqual({ OR: [{ name: { gt: 'Billing' } }, { name: 'Billing', id: { gt: ID } }] });
  });

  it('nests a relation field and compares descending keys with lt, dates as dates', () => {
    const members = keyset(asc('user.email', 'string'), asc('id', 'uuid'));
    expect(members.query({}).orderBy).toEqual([{ user: { email: 'asc' } }, { id: 'asc' }]);
    expect(members.query({ cursor: encodeCursor({ email: 'a@x.test', id: ID }) }).where).toEqual({
      OR: [{ user: { email: { gt: 'a@x.test' } } }, { user: { email: 'a@x.test' }, id: { gt: ID } }],
    });
    const at = '2026-01-02T03:04:05.000Z';
    expect(newestFirst.query({ cursor: encodeCursor({ createdAt: at, id: ID }) }).where).toEqual({
      OR: [{ createdAt: { lt: new Date(at) } }, { createdAt: new Date(at), id: { lt: ID } }],
    });
    expect(keyset(desc('id', 'bigint')).query({ cursor: encodeCursor({ id: '42' }) }).where).toEqual({ OR: [{ id: { lt: 42n } }] });
  });

  it('fetches one extra row and turns the last row of the page into the next cursor, which reads back the same', () => {
    const q = newestFirst.query({ limit: 2 });
    expect(q.take).toBe(3);
    const rows = [0, 1, 2].map((i) => ({ id: `${ID.slice(0, -1)}${i}`, createdAt: new Date(Date.UTC(2026, 0, 3 - i)), extra: i }));
    const page = q.page(rows);
    expect(page.items).toEqual(rows.slice(0, 2));
    expect(decodeCursor(newestFirst.schema, page.nextCursor)).toEqual({ createdAt: rows[1]!.createdAt.toISOString(), id: rows[1]!.id });
    expect(q.page(rows.slice(0, 2)).nextCursor).toBeNull();
    const bigints = keyset(desc('id', 'bigint')).query({ limit: 1 });
    expect(decodeCursor(cursorSchema({ id: 'bigint' }), bigints.page([{ id: 9n }, { id: 8n }]).nextCursor)).toEqual({ id: '9' });
  });

  it('reads a forged, stale or undecodable cursor as page one (never an error), and refuses two keys with one cursor name at definition', () => {
    const firstPage = (cursor: string) => byName.query({ cursor }).where;
    expect(firstPage(encodeCursor({ name: 'x', id: 'not-a-uuid' }))).toEqual({});
    expect(firstPage(encodeCursor({ createdAt: '2026-01-01T00:00:00.000Z', id: ID }))).toEqual({});
    expect(firstPage(encodeCursor({ name: 'a\u0000b', id: ID }))).toEqual({});
    expect(firstPage('%%%')).toEqual({});
    expect(firstPage(encodeCursor([1, 2]))).toEqual({});
    expect(newestFirst.query({ cursor: encodeCursor({ createdAt: 'yesterday', id: ID }) }).where).toEqual({});
    expect(keyset(desc('id', 'bigint')).query({ cursor: encodeCursor({ id: '12a' }) }).where).toEqual({});
    expect(decodeCursor(byName.schema, encodeCursor({ name: 1, id: ID }))).toBeUndefined();
    expect(() => keyset(asc('user.id', 'uuid'), asc('id', 'uuid'))).toThrow(/cursor name/);
  });

  it('accepts a timestamptz only as PostgreSQL writes it, so casting a cursor key back cannot fail', () => {
    for (const ok of ['2026-12-01 12:48:59.376592+00', '2026-02-28 00:00:00+05:30', '-infinity']) expect(PgTimestampText.safeParse(ok).success).toBe(true);
    for (const bad of ['2026-02-30 00:00:00+00', '2026-13-01 00:00:00+00', 'now', "x'; select 1", '2026-12-01T12:00:00Z', ''])
      expect(PgTimestampText.safeParse(bad).success).toBe(false);
  });
});
