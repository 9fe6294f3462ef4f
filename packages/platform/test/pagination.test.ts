import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../src/errors.ts';
import { MAX_PAGE, PageQuery, pageRequest, paginationLinks, paginationMeta, parseSort } from '../src/pagination.ts';
import { ok } from '../src/reply.ts';
import { createServer, type App } from '../src/server.ts';
import { expectError, expectOk } from '../src/testing/http.ts';

describe('pageRequest and paginationMeta', () => {
  it('when no page is asked, then page 1 of 20 is used', () => {
    expect(pageRequest({})).toEqual({ page: 1, pageSize: 20, offset: 0, limit: 20 });
    expect(pageRequest({ page: 3, page_size: 25 })).toEqual({ page: 3, pageSize: 25, offset: 50, limit: 25 });
  });

  it('when totals vary, then total_pages, has_next and has_prev follow the real count', () => {
    expect(paginationMeta({ page: 1, pageSize: 20 }, 0)).toEqual({ page: 1, page_size: 20, total: 0, total_pages: 1, has_next: false, has_prev: false });
    expect(paginationMeta({ page: 1, pageSize: 20 }, 41)).toMatchObject({ total_pages: 3, has_next: true, has_prev: false });
    expect(paginationMeta({ page: 3, pageSize: 20 }, 41)).toMatchObject({ total_pages: 3, has_next: false, has_prev: true });
    expect(paginationMeta({ page: 2, pageSize: 20 }, 40)).toMatchObject({ total_pages: 2, has_next: false, has_prev: true });
    expect(paginationMeta({ page: 9, pageSize: 20 }, 40)).toMatchObject({ total_pages: 2, has_next: false, has_prev: true });
  });
});

describe('paginationLinks', () => {
  it('when in the middle of a list, then self, first, last, next and prev keep the other filters', () => {
    const meta = paginationMeta({ page: 2, pageSize: 10 }, 35);
    const links = paginationLinks('/api/v1/users', { page: 2, page_size: 10, role: 'instructor', q: 'pérez & co', tag: ['a', 'b'], empty: undefined }, meta);
    expect(links).toEqual({
      self: { href: '/api/v1/users?page_size=10&role=instructor&q=p%C3%A9rez+%26+co&tag=a&tag=b&page=2', method: 'GET' },
      first: { href: '/api/v1/users?page_size=10&role=instructor&q=p%C3%A9rez+%26+co&tag=a&tag=b&page=1', method: 'GET' },
      last: { href: '/api/v1/users?page_size=10&role=instructor&q=p%C3%A9rez+%26+co&tag=a&tag=b&page=4', method: 'GET' },
      next: { href: '/api/v1/users?page_size=10&role=instructor&q=p%C3%A9rez+%26+co&tag=a&tag=b&page=3', method: 'GET' },
      prev: { href: '/api/v1/users?page_size=10&role=instructor&q=p%C3%A9rez+%26+co&tag=a&tag=b&page=1', method: 'GET' },
    });
  });

  it('when on the only page, then there is no next or prev and page_size is always spelled out', () => {
    const links = paginationLinks('/api/v1/groups', {}, paginationMeta({ page: 1, pageSize: 20 }, 3));
    expect(Object.keys(links)).toEqual(['self', 'first', 'last']);
    expect(links.self.href).toBe('/api/v1/groups?page=1&page_size=20');
  });
});

describe('parseSort', () => {
  const allowed = ['name', 'created_at'] as const;
  const fallback = { field: 'created_at', direction: 'desc' } as const;

  it('when sort is field or -field from the allow-list, then the direction follows the sign', () => {
    expect(parseSort('name', allowed, fallback)).toEqual({ field: 'name', direction: 'asc' });
    expect(parseSort('-name', allowed, fallback)).toEqual({ field: 'name', direction: 'desc' });
    expect(parseSort(undefined, allowed, fallback)).toBe(fallback);
    expect(parseSort('', allowed, fallback)).toBe(fallback);
  });

  it('when sort names a field outside the allow-list, then 422 VALIDATION_ERROR names sort', () => {
    for (const value of ['password', '-', '--name', 'name;drop']) {
      let caught: unknown;
      try {
        parseSort(value, allowed, fallback);
      } catch (err) {
        caught = err;
      }
      expect(isAppError(caught)).toBe(true);
      expect(caught).toMatchObject({ code: 'VALIDATION_ERROR', status: 422, details: { fields: [{ field: 'sort', reason: 'not_allowed' }] } });
    }
  });
});

describe('a paginated route', () => {
  let app: App;
  const rows = Array.from({ length: 45 }, (_, i) => ({ n: i + 1 }));

  beforeAll(async () => {
    app = await createServer({
      name: 'probe',
      config: { logLevel: 'silent', corsOrigins: ['*'], bodyLimit: 1024, publicBaseUrl: 'http://localhost:8000' },
    });
    app.get(
      '/items',
      { schema: { querystring: Type.Object({ ...PageQuery, sort: Type.Optional(Type.String()) }, { additionalProperties: false }) } },
      async (request) => {
        const sort = parseSort(request.query.sort, ['n'] as const, { field: 'n', direction: 'asc' });
        const page = pageRequest(request.query);
        const ordered = sort.direction === 'desc' ? [...rows].reverse() : rows;
        const meta = paginationMeta(page, rows.length);
        return ok(request, ordered.slice(page.offset, page.offset + page.limit), { pagination: meta, links: paginationLinks('/items', request.query, meta) });
      },
    );
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
  });

  it('when a page is asked, then data, meta.pagination and links agree', async () => {
    const res = await app.inject({ method: 'GET', url: '/items?page=3&page_size=20&sort=-n' });
    expect(expectOk(res)).toEqual([{ n: 5 }, { n: 4 }, { n: 3 }, { n: 2 }, { n: 1 }]);
    const body = res.json();
    expect(body.meta.pagination).toEqual({ page: 3, page_size: 20, total: 45, total_pages: 3, has_next: false, has_prev: true });
    expect(body.links.prev.href).toBe('/items?page_size=20&sort=-n&page=2');
    expect(body.links.next).toBeUndefined();
  });

  it('when no page is given, then the defaults are applied', async () => {
    const res = await app.inject({ method: 'GET', url: '/items' });
    expect(expectOk(res)).toHaveLength(20);
    expect(res.json().meta.pagination).toMatchObject({ page: 1, page_size: 20, total_pages: 3, has_next: true });
  });

  it.each([
    ['page=0', 'page'],
    ['page_size=101', 'page_size'],
    ['page_size=0', 'page_size'],
    ['page=abc', 'page'],
    ['sort=secret', 'sort'],
  ])('when the query has %s, then 422 VALIDATION_ERROR names %s', async (query, field) => {
    const error = expectError(await app.inject({ method: 'GET', url: `/items?${query}` }), 422, 'VALIDATION_ERROR');
    expect((error.details as { fields: Array<{ field: string }> }).fields.map((f) => f.field)).toContain(field);
  });

  // The same probe server: one route with the platform's page query (and a sort).
  describe('page bounds (00-conventions §3)', () => {
    it.each(['page=10001', 'page=1e21', 'page=1e300', 'page=99999999999999999999'])('when the query has %s, then 422 names page and nothing reaches the database', async (query) => {
      const error = expectError(await app.inject({ method: 'GET', url: `/items?${query}` }), 422, 'VALIDATION_ERROR');
      expect((error.details as { fields: Array<{ field: string }> }).fields.map((f) => f.field)).toEqual(['page']);
    });

    it('when the page is the documented maximum or past the last one, then it is an empty page, not an error', async () => {
      for (const page of [4, MAX_PAGE]) {
        const res = await app.inject({ method: 'GET', url: `/items?page=${page}` });
        expect(expectOk(res)).toEqual([]);
        expect(res.json().meta.pagination).toEqual({ page, page_size: 20, total: 45, total_pages: 3, has_next: false, has_prev: true });
      }
    });

    it('when a page beyond the maximum skips the schema, then pageRequest refuses it with 422 and the offset stays bounded', () => {
      expect(() => pageRequest({ page: 1e21 })).toThrow(expect.objectContaining({ code: 'VALIDATION_ERROR', status: 422 }));
      expect(pageRequest({ page: MAX_PAGE, page_size: 100 }).offset).toBe(999_900);
    });

    it('when the document is read, then page declares its maximum', () => {
      expect(PageQuery.page).toMatchObject({ minimum: 1, maximum: MAX_PAGE });
    });
  });
});
