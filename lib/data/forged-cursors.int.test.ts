import { describe, expect, it } from 'vitest';
import type { PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { MatrixFilters } from '@/lib/schemas/matrix';
import { ensureBuiltInRoles, seedOrgWithTiers } from '@/prisma/factories';
import { orgContext, userContext } from '@/tests/contexts';
import { listApiKeys } from './api-keys';
import { listOrgAuditEvents } from './audit-events';
import { listOrgClients } from './clients';
import { listInvitations } from './invitations';
import { listOrgMatrix, listPlatformMatrix } from './matrix';
import { listMembers } from './members';
import { encodeCursor } from './pagination';
import { listPlatformOrgs } from './platform-orgs';
import { listRules } from './rules';

const ID = '6f1c2b9e-8d4a-4c3e-9b7a-2e5d8f0a1b3c';

/** Cursors a caller can forge: undecodable, another list's shape, mistyped keys, a NUL (PostgreSQL refuses it in text). */
const FORGED = [
  '%%%',
  'not base64 at all!',
  encodeCursor('just a string'),
  encodeCursor([1, 2, 3]),
  encodeCursor({ createdAt: 'yesterday', id: ID }),
  encodeCursor({ id: '12a' }),
  encodeCursor({ id: -1 }),
  encodeCursor({ k: 'not a date', id: ID }),
  encodeCursor({ k: "2026-01-01'; select 1 --", id: ID }),
  encodeCursor({ k: '2026-02-30 00:00:00+00', id: ID }),
  encodeCursor({ k: 'a\u0000b', id: ID }),
  encodeCursor({ name: 'a\u0000b', id: ID }),
  encodeCursor({ email: 'x@example.com', id: 'not-a-uuid' }),
  encodeCursor({ slug: { $gt: '' } }),
];

describe('a forged cursor reads as the first page, on every list', () => {
  it('answers page one (the same rows as no cursor) instead of an error', async () => {
    await ensureBuiltInRoles(db);
    const { org, owner } = await seedOrgWithTiers(db);
    const ctx = await orgContext(org, owner);
    const platform: PlatformContext = { ...userContext(owner), actor: { platformRole: 'SUPERADMIN', tier: null } } as PlatformContext;
    const lists: Record<string, (cursor: string | undefined) => Promise<unknown>> = {
      members: (cursor) => listMembers(ctx, { cursor }),
      invitations: (cursor) => listInvitations(ctx, { cursor }),
      audit: (cursor) => listOrgAuditEvents(ctx, { cursor }),
      clients: (cursor) => listOrgClients(ctx, { scope: 'org', cursor }),
      'matrix by name': (cursor) => listOrgMatrix(ctx, MatrixFilters.parse({ cursor })),
      'matrix by last sign-in': (cursor) => listOrgMatrix(ctx, MatrixFilters.parse({ cursor, sort: 'last_sign_in' })),
      'platform matrix by last sign-in': (cursor) => listPlatformMatrix(platform, { ...MatrixFilters.parse({ cursor, sort: 'last_sign_in' }), orgSlug: org.slug }),
      'platform orgs': (cursor) => listPlatformOrgs(platform, { q: org.slug, cursor }),
      'api keys': (cursor) => listApiKeys(platform, { cursor, limit: 1 }),
      rules: (cursor) => listRules(platform, { cursor, limit: 1 }),
    };
    // serverMs differs between two reads of the same page; everything else must match.
    const same = (page: unknown) => JSON.stringify(page, (k, v: unknown) => (k === 'serverMs' ? undefined : v));
    const failures: string[] = [];
    for (const [name, list] of Object.entries(lists)) {
      const first = same(await list(undefined));
      for (const cursor of FORGED) {
        try {
          const got = same(await list(cursor));
          if (got !== first) failures.push(`${name} ${cursor}: not page one`);
        } catch (e) {
          failures.push(`${name} ${cursor}: ${String(e).slice(0, 120)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
