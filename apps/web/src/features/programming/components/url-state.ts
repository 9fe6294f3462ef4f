import { useNavigate, useSearch } from '@tanstack/react-router';

/** Filters and the page live in the URL (web.md §3), so a filtered view can be shared. */
export function useUrlState<T extends object>(): [T, (patch: Partial<T>) => void] {
  const raw: unknown = useSearch({ strict: false });
  const search = raw as T;
  const navigate = useNavigate();
  const set = (patch: Partial<T>) => {
    const next: Record<string, unknown> = { ...search, ...patch };
    for (const [k, v] of Object.entries(next)) if (v === undefined || v === '' || v === null) delete next[k];
    void navigate({ to: '.', search: next, replace: true } as never);
  };
  return [search, set];
}
