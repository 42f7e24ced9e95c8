import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { asc, byName, cursorSchema, decodeCursor, desc, encodeCursor, keyset, newestFirst } from './pagination';

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

  it('refuses a cursor of another shape as BAD_INPUT, and two keys with one cursor name at definition', () => {
    const bad = (cursor: string) => {
      try {
        byName.query({ cursor });
        return 'accepted';
      } catch (e) {
        return e instanceof AppError ? e.code : String(e);
      }
    };
    expect(bad(encodeCursor({ name: 'x', id: 'not-a-uuid' }))).toBe('BAD_INPUT');
    expect(bad(encodeCursor({ createdAt: '2026-01-01T00:00:00.000Z', id: ID }))).toBe('BAD_INPUT');
    expect(bad('%%%')).toBe('BAD_INPUT');
    expect(() => keyset(asc('user.id', 'uuid'), asc('id', 'uuid'))).toThrow(/cursor name/);
  });
});
