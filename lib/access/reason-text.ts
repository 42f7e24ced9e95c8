import type { Catalog, Reason } from './types';

/**
 * `decide`'s reason as people read it in the console: roles by their names, not their keys. The decision API keeps
 * `reason.message` (keys, a stable contract for backends); the matrix, "Your applications" and "Who can reach this"
 * show this sentence instead. Pure; the roles it names come from the catalog the decision was made with.
 */
export function reasonText(reason: Reason, catalog: Catalog, applicationName?: string): string {
  const names = (keys: readonly string[] | undefined, conj = 'and') => listOf((keys ?? []).map((k) => roleNameByKey(catalog, k)), conj);
  const app = applicationName ?? 'This application';
  switch (reason.code) {
    case 'granted_by_role':
      if (reason.via && reason.via.length > 0 && applicationName !== undefined) {
        return reason.via.length === 1 ? `Allowed by the role ${names(reason.via)}.` : `Allowed by the roles ${names(reason.via)}.`;
      }
      return reason.via && reason.via.length > 0 ? `Allowed by ${names(reason.via)}.` : reason.message;
    case 'missing_role':
      return `${app} needs one of the roles ${names(reason.missing, 'or')}.`;
    case 'missing_roles':
      return `${app} needs all of its roles; missing ${names(reason.missing)}.`;
    default:
      return reason.message;
  }
}

/** A role's name from its key (the key itself when the catalog does not have it). */
export function roleNameByKey(catalog: Catalog, key: string): string {
  let byKey = namesByKey.get(catalog);
  if (!byKey) {
    byKey = new Map([...catalog.roles.values()].map((r) => [r.key, r.name]));
    namesByKey.set(catalog, byKey);
  }
  return byKey.get(key) ?? key;
}

const namesByKey = new WeakMap<Catalog, Map<string, string>>();

/** "A", "A and B", "A, B and C" (or "or"). */
function listOf(items: readonly string[], conj: string): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conj} ${items[items.length - 1]}`;
}
