import { describe, expect, it } from 'vitest';
import { decide } from './decide';
import { reasonText } from './reason-text';
import type { Catalog, CatalogApplication, CatalogRole } from './types';

const role = (id: string, key: string, name: string): CatalogRole => ({ id, key, name, tier: null, permissions: [], applicationIds: [] });
const roles = [role('r1', 'billing:admin', 'Billing admin'), role('r2', 'support', 'Support desk')];
const catalog: Catalog = { roles: new Map(roles.map((r) => [r.id, r])) };
const app = (accessPolicy: CatalogApplication['accessPolicy']): CatalogApplication => ({
  id: 'a1',
  name: 'Billing',
  clientId: 'client-billing',
  type: 'SPA',
  accessPolicy,
  roleIds: ['r1', 'r2'],
});
const user = (roleIds: string[]) => ({
  kind: 'user' as const,
  id: 'u1',
  blocked: false,
  membership: { orgId: 'o1', tier: 'EMPLOYEE' as const },
  assignments: roleIds.map((roleId, i) => ({ id: `as${i}`, roleId, orgId: null, expiresAt: null })),
});
const org = { id: 'o1', slug: 'acme', suspended: false };
const now = new Date('2026-12-01T00:00:00Z');

describe('reasonText', () => {
  it('names the granting role by its name, not its key', () => {
    const d = decide({ subject: user(['r2']), org, target: { kind: 'application', application: app('ANY_ROLE') }, now, catalog });
    expect(d.reason.message).toContain('support');
    expect(reasonText(d.reason, catalog, 'Billing')).toBe('Allowed by the role Support desk.');
  });

  it('names the roles that would grant access', () => {
    const d = decide({ subject: user([]), org, target: { kind: 'application', application: app('ANY_ROLE') }, now, catalog });
    expect(reasonText(d.reason, catalog, 'Billing')).toBe('Billing needs one of the roles Billing admin or Support desk.');
    const all = decide({ subject: user(['r1']), org, target: { kind: 'application', application: app('ALL_ROLES') }, now, catalog });
    expect(reasonText(all.reason, catalog, 'Billing')).toBe('Billing needs all of its roles; missing Support desk.');
  });

  it('keeps the sentences that name no role', () => {
    const d = decide({ subject: user([]), org, target: { kind: 'application', application: app('OPEN') }, now, catalog });
    expect(reasonText(d.reason, catalog, 'Billing')).toBe(d.reason.message);
  });
});
