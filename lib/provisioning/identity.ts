import { z } from 'zod';
import { CONNECTION_CLAIM } from '@/lib/claims';
import { AppError } from '@/lib/errors';
import { Email } from '@/lib/schemas/email';
import { nameText } from '@/lib/schemas/text';

/** What a sign-in tells us about a person. */
export interface SignInIdentity {
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
  connection: string | null;
}

const Claims = z.object({
  sub: z.string().min(1).max(255),
  email: Email,
  email_verified: z.boolean().optional(),
  // A display name the IdP sends with control characters is dropped, not the sign-in (the person cannot fix it here).
  name: nameText({ min: 0, max: 200 }).optional().catch(undefined),
  [CONNECTION_CLAIM]: z.string().max(128).optional(),
});

/**
 * Reads the identity from ID token claims (the console's session) or from what the post-login Action sends (the
 * decision API); an account without an email cannot use Gatehouse.
 */
export function identityFromClaims(claims: Record<string, unknown>): SignInIdentity {
  const parsed = Claims.safeParse(claims);
  if (!parsed.success) {
    throw new AppError('BAD_INPUT', 'Your sign-in did not include a valid email address.');
  }
  const c = parsed.data;
  return {
    sub: c.sub,
    email: c.email.toLowerCase(),
    emailVerified: c.email_verified ?? false,
    name: c.name?.trim() || null,
    connection: c[CONNECTION_CLAIM] ?? connectionFromSub(c.sub),
  };
}

/** Auth0 subjects look like `auth0|id` or `waad|connection|id`; the middle part names the connection when present. */
export function connectionFromSub(sub: string): string | null {
  const parts = sub.split('|');
  if (parts.length >= 3) return parts[1] ?? null;
  if (parts[0] === 'auth0') return 'Username-Password-Authentication';
  return parts.length === 2 ? (parts[0] ?? null) : null;
}
