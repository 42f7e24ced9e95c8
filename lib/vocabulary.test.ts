import { describe, expect, it } from 'vitest';
import {
  AccessPolicy as PrismaAccessPolicy,
  AppType as PrismaAppType,
  PlatformRole as PrismaPlatformRole,
  Tier as PrismaTier,
} from '@/lib/generated/prisma/enums';
import { PLATFORM_RANK, TIER_RANK } from '@/lib/authz/permissions';
import {
  ACCESS_POLICIES,
  ACCESS_POLICY_DESCRIPTIONS,
  ACCESS_POLICY_LABELS,
  APP_TYPE_LABELS,
  APP_TYPES,
  optionsOf,
  PLATFORM_ROLE_LABELS,
  PLATFORM_ROLES,
  TIER_LABELS,
  TIERS,
  USER_APP_TYPES,
} from './vocabulary';

/**
 * Each list of the vocabulary against the enum Prisma generates from prisma/schema.prisma. The annotations make
 * the compiler check the same agreement: a value on one side only fails `tsc` as well as this test.
 */
const tiers: readonly PrismaTier[] = TIERS;
const platformRoles: readonly PrismaPlatformRole[] = PLATFORM_ROLES;
const appTypes: readonly PrismaAppType[] = APP_TYPES;
const accessPolicies: readonly PrismaAccessPolicy[] = ACCESS_POLICIES;
const tierWords: Record<PrismaTier, string>[] = [TIER_LABELS];
const platformRoleWords: Record<PrismaPlatformRole, string>[] = [PLATFORM_ROLE_LABELS];
const appTypeWords: Record<PrismaAppType, string>[] = [APP_TYPE_LABELS];
const accessPolicyWords: Record<PrismaAccessPolicy, string>[] = [ACCESS_POLICY_LABELS, ACCESS_POLICY_DESCRIPTIONS];

const ENUMS: { name: string; list: readonly string[]; prisma: Record<string, string>; words: Record<string, string>[] }[] = [
  { name: 'Tier', list: tiers, prisma: PrismaTier, words: tierWords },
  { name: 'PlatformRole', list: platformRoles, prisma: PrismaPlatformRole, words: platformRoleWords },
  { name: 'AppType', list: appTypes, prisma: PrismaAppType, words: appTypeWords },
  { name: 'AccessPolicy', list: accessPolicies, prisma: PrismaAccessPolicy, words: accessPolicyWords },
];

describe('the vocabulary names every value of the schema’s enums, once', () => {
  it.each(ENUMS)('$name', ({ list, prisma, words }) => {
    const values = Object.values(prisma).sort();
    expect([...list].sort()).toEqual(values);
    expect(new Set(list).size).toBe(list.length);
    for (const table of words) {
      expect(Object.keys(table).sort()).toEqual(values);
      for (const text of Object.values(table)) expect(text.trim().length).toBeGreaterThan(0);
    }
  });

  it('offers the tiers from the highest rank down, the platform roles from none up (the power table’s ranks)', () => {
    expect([...TIERS]).toEqual([...TIERS].sort((a, b) => TIER_RANK[b] - TIER_RANK[a]));
    expect([...PLATFORM_ROLES]).toEqual([...PLATFORM_ROLES].sort((a, b) => PLATFORM_RANK[a] - PLATFORM_RANK[b]));
  });

  it('gives each label once, so two choices never read the same', () => {
    for (const table of [TIER_LABELS, PLATFORM_ROLE_LABELS, APP_TYPE_LABELS, ACCESS_POLICY_LABELS]) {
      const labels = Object.values(table).map((l) => l.toLowerCase());
      expect(new Set(labels).size).toBe(labels.length);
    }
  });

  it('lists as user application types every type but M2M', () => {
    expect([...USER_APP_TYPES]).toEqual(APP_TYPES.filter((t) => t !== 'M2M'));
  });

  it('builds options in the vocabulary’s order', () => {
    expect(optionsOf(ACCESS_POLICIES, ACCESS_POLICY_LABELS)).toEqual([
      { value: 'OPEN', label: 'Open' },
      { value: 'ANY_ROLE', label: 'Any mapped role' },
      { value: 'ALL_ROLES', label: 'All mapped roles' },
    ]);
  });
});

