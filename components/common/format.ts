/** Dates shown to people: stable across server and client (UTC, ISO-like). */
export function formatDateTime(iso: string | null): string {
  if (!iso) return '—';
  return iso.replace('T', ' ').slice(0, 16) + ' UTC';
}

export function formatDate(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '—';
}
