import type { PlatformRole, Tier } from './permissions';

/**
 * The shapes of "who is asking", shared by the guards (lib/authz/context.ts), the data layer and tests. Types only:
 * this module has no runtime imports, so anything may import it without pulling in Next, Prisma or the guards.
 */

/** Who is acting: their platform role, and their tier in the org at hand (if any). */
export interface Actor {
  platformRole: PlatformRole;
  tier?: Tier | null;
}

/** A signed-in person as the console knows them. */
export interface UserDto {
  id: string;
  sub: string;
  email: string;
  name: string | null;
  platformRole: PlatformRole;
  blocked: boolean;
}

/** A signed-in, unblocked user and the request they are making. */
export interface UserContext {
  user: UserDto;
  requestId: string;
}

/** A member working in one org (named by the URL); `actor` carries their tier there. */
export interface OrgContext extends UserContext {
  org: { id: string; slug: string; name: string; invitationTtlDays: number };
  membership: { id: string; tier: Tier };
  actor: Actor;
}

/** Platform staff, an operator or a superadmin in the platform area. */
export interface PlatformContext extends UserContext {
  actor: Actor;
}
