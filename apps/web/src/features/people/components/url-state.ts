import { useNavigate, useSearch } from '@tanstack/react-router';

/** The Personas search params: U1's filters, `page` and `page_size` (web.md §3: shareable filtered views). */
export interface PeopleSearch {
  search?: string;
  role?: string;
  is_active?: boolean;
  group_number?: string;
  locked?: boolean;
  must_change_password?: boolean;
  include_deleted?: boolean;
  sort?: string;
  page?: number;
  page_size?: number;
}

const bool = (v: unknown) => (v === true || v === 'true' ? true : v === false || v === 'false' ? false : undefined);
const str = (v: unknown) => (typeof v === 'string' && v.trim().length > 0 ? v : typeof v === 'number' ? String(v) : undefined);
const int = (v: unknown, max: number) => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  return Number.isInteger(n) && n > 0 && n <= max ? n : undefined;
};

/** The route's validateSearch: anything else in the URL is dropped. */
export function parsePeopleSearch(s: Record<string, unknown>): PeopleSearch {
  return {
    search: str(s.search),
    role: str(s.role),
    is_active: bool(s.is_active),
    group_number: str(s.group_number),
    locked: bool(s.locked),
    must_change_password: bool(s.must_change_password),
    include_deleted: bool(s.include_deleted),
    sort: str(s.sort),
    page: int(s.page, 10_000),
    page_size: int(s.page_size, 100),
  };
}

export function usePeopleSearch(): [PeopleSearch, (patch: Partial<PeopleSearch>) => void] {
  const search = useSearch({ strict: false }) as PeopleSearch;
  const navigate = useNavigate();
  const set = (patch: Partial<PeopleSearch>) => {
    // A filter change goes back to the first page.
    const next: Record<string, unknown> = { ...search, ...('page' in patch ? {} : { page: undefined }), ...patch };
    for (const [k, v] of Object.entries(next)) if (v === undefined || v === '' || v === null) delete next[k];
    void navigate({ to: '/personas', search: next, replace: true } as never);
  };
  return [search, set];
}
