import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listHref, parseListParams, sortParam } from './list-params';

const SORTS = { keys: ['name', 'created', 'last_sign_in'] as const, default: '-created' as const };
const FILTERS = { status: z.enum(['pending', 'expired']), tier: z.enum(['OWNER', 'ADMIN']) };

describe('parseListParams', () => {
  it('reads nothing from an empty URL: first page, default sort, no filter', () => {
    const p = parseListParams({}, { sorts: SORTS, filters: FILTERS });
    expect(p).toEqual({
      q: undefined,
      cursor: undefined,
      sort: { key: 'created', direction: 'desc' },
      filters: {},
      filtered: false,
      query: { sort: undefined },
      defaultSort: '-created',
      cursorParam: 'cursor',
    });
  });

  it('reads the search, a cursor, a sort and the filters', () => {
    const p = parseListParams({ q: '  ada  ', cursor: 'eyJpZCI6IjEifQ', sort: 'name', status: 'pending', tier: 'ADMIN' }, { sorts: SORTS, filters: FILTERS });
    expect(p.q).toBe('ada');
    expect(p.cursor).toBe('eyJpZCI6IjEifQ');
    expect(p.sort).toEqual({ key: 'name', direction: 'asc' });
    expect(p.filters).toEqual({ status: 'pending', tier: 'ADMIN' });
    expect(p.filtered).toBe(true);
    // The cursor stays out of the state links carry: a changed search or sort starts at page one.
    expect(p.query).toEqual({ q: 'ada', status: 'pending', tier: 'ADMIN', sort: 'name' });
  });

  it('reads a descending sort from a leading minus', () => {
    expect(parseListParams({ sort: '-last_sign_in' }, { sorts: SORTS }).sort).toEqual({ key: 'last_sign_in', direction: 'desc' });
  });

  it.each([
    ['an unknown sort', { sort: 'password' }],
    ['a sort with two minuses', { sort: '--name' }],
    ['an unknown filter value', { status: 'deleted' }],
    ['a filter value in the wrong case', { tier: 'owner' }],
    ['a cursor that is not base64url', { cursor: 'abc def' }],
    ['a cursor longer than any page link', { cursor: 'a'.repeat(1001) }],
    ['a search longer than 200 characters', { q: 'x'.repeat(201) }],
    ['a blank search', { q: '   ' }],
    ['empty values, as an empty GET form sends them', { q: '', status: '', cursor: '' }],
  ])('falls back to the defaults on %s, without throwing', (_, sp) => {
    const p = parseListParams(sp, { sorts: SORTS, filters: FILTERS });
    expect(p.q).toBeUndefined();
    expect(p.cursor).toBeUndefined();
    expect(p.sort).toEqual({ key: 'created', direction: 'desc' });
    expect(p.filters).toEqual({});
    expect(p.filtered).toBe(false);
  });

  it('takes the first of repeated parameters', () => {
    const p = parseListParams({ q: ['one', 'two'], status: ['expired', 'pending'] }, { filters: FILTERS });
    expect(p.q).toBe('one');
    expect(p.filters.status).toBe('expired');
  });

  it('keeps a valid filter next to an invalid one', () => {
    const p = parseListParams({ status: 'nope', tier: 'OWNER' }, { filters: FILTERS });
    expect(p.filters).toEqual({ tier: 'OWNER' });
    expect(p.query).toEqual({ tier: 'OWNER' });
  });

  it('ignores parameters the list did not ask for', () => {
    const p = parseListParams({ status: 'pending', sort: 'name', org: 'acme' });
    expect(p.filters).toEqual({});
    expect(p.sort).toBeUndefined();
    expect(p.query).toEqual({});
    expect(p.filtered).toBe(false);
  });

  it('reads a second list’s cursor under its own name', () => {
    const sp = { cursor: 'Zmlyc3Q', gcursor: 'c2Vjb25k' };
    expect(parseListParams(sp).cursor).toBe('Zmlyc3Q');
    const global = parseListParams(sp, { cursorParam: 'gcursor' });
    expect(global.cursor).toBe('c2Vjb25k');
    expect(global.cursorParam).toBe('gcursor');
  });

  it('refuses, as a programming error, a default sort that is not among the sorts', () => {
    expect(() => parseListParams({}, { sorts: { keys: ['name'], default: '-created' as 'name' } })).toThrow(/default sort/);
  });
});

describe('sortParam', () => {
  it('leaves the default sort out of links and writes the others', () => {
    expect(sortParam({ key: 'created', direction: 'desc' }, '-created')).toBeUndefined();
    expect(sortParam({ key: 'created', direction: 'asc' }, '-created')).toBe('created');
    expect(sortParam({ key: 'name', direction: 'desc' }, '-created')).toBe('-name');
  });
});

describe('listHref', () => {
  it('writes the parameters that have a value, overrides last', () => {
    expect(listHref('/platform/roles', { q: 'ops', sort: undefined }, { cursor: 'abc' })).toBe('/platform/roles?q=ops&cursor=abc');
    expect(listHref('/platform/roles', { q: 'ops' }, { q: undefined })).toBe('/platform/roles');
    expect(listHref('/x', { q: 'a&b=c' })).toBe('/x?q=a%26b%3Dc');
  });

  it('round-trips through parseListParams', () => {
    const first = parseListParams({ q: 'ada lovelace', status: 'pending', sort: 'name' }, { sorts: SORTS, filters: FILTERS });
    const url = new URL(listHref('/members', first.query, { cursor: 'bmV4dA' }), 'http://localhost');
    const again = parseListParams(Object.fromEntries(url.searchParams), { sorts: SORTS, filters: FILTERS });
    expect(again).toEqual({ ...first, cursor: 'bmV4dA' });
  });
});
