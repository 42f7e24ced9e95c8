/** Builds list URLs that keep the current filters when moving between pages. */
export function pageHref(base: string, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const s = search.toString();
  return s ? `${base}?${s}` : base;
}
