import { decide } from '@/lib/access/decide';
import type { MembershipFact, OrgEntry } from '@/lib/access/load';
import type { AssignmentFact, CatalogApplication, Decision, SubjectFacts, Target } from '@/lib/access/types';
import { CONNECTION_CLAIM } from '@/lib/claims';
import type { Db } from '@/lib/db-client';
import { AppError, isDatabaseUnavailable } from '@/lib/errors';
import { identityFromClaims } from '@/lib/provisioning/identity';
import { recordSignIn } from '@/lib/provisioning/sign-in';
import {
  LOGIN_CLAIMS,
  UNKNOWN_APPLICATION_ALLOWED,
  type CheckInput,
  type CheckResult,
  type ClientCredentialsDecision,
  type ClientCredentialsDecisionInput,
  type LoginDecision,
  type LoginDecisionInput,
} from '@/lib/schemas/decision-api';
import { type PendingSignIns } from './pending-sign-ins';
import type { DecisionSnapshot } from './snapshot';

/** A login that cannot be decided now (the database is unreachable and the snapshot does not suffice): 503 with Retry-After. */
export class LoginUnavailableError extends Error {
  readonly retryAfterSeconds = 5;
}

/**
 * The decision API's answers: find the facts (in the in-memory snapshot; the login decision reads the user's own
 * facts fresh after recording the sign-in), ask `decide` (lib/access/decide.ts), shape the answer. Unknown
 * subjects, orgs and applications are NOT_FOUND errors (except an unknown application at login when the deployment
 * lets those through); a deny is a normal answer.
 */

/** What a deployment does with a login to an application Gatehouse does not know (DECISIONS_UNKNOWN_APPLICATIONS). */
export type UnknownApplications = 'deny' | 'allow';

function orgOrThrow(snapshot: DecisionSnapshot, slug: string | null | undefined): OrgEntry | null {
  if (slug === undefined || slug === null) return null;
  const org = snapshot.orgBySlug(slug);
  if (!org) throw new AppError('NOT_FOUND', `No organization has the slug "${slug}".`);
  return org;
}

/**
 * The org an Auth0 Action's event names: the org linked to the Auth0 organization id, when one is; else the org whose
 * slug is the Auth0 organization's name, provided that org is not linked to another Auth0 organization (a link is
 * authoritative). Without an id, the name is a slug as for every other caller. NOT_FOUND says what was tried.
 */
function auth0OrgOrThrow(snapshot: DecisionSnapshot, name: string | null | undefined, auth0OrgId: string | null | undefined): OrgEntry | null {
  if (auth0OrgId === undefined || auth0OrgId === null) return orgOrThrow(snapshot, name);
  const linked = snapshot.orgByAuth0Id(auth0OrgId);
  if (linked) return linked;
  const tried = `No organization is linked to the Auth0 organization "${auth0OrgId}"`;
  if (name === undefined || name === null) throw new AppError('NOT_FOUND', `${tried}.`);
  const named = snapshot.orgBySlug(name);
  if (!named) throw new AppError('NOT_FOUND', `${tried}, and none has the slug "${name}".`);
  if (named.auth0OrgId !== null) {
    throw new AppError('NOT_FOUND', `${tried}; the organization with the slug "${name}" is linked to another Auth0 organization.`);
  }
  return named;
}

function applicationOrThrow(snapshot: DecisionSnapshot, clientId: string): CatalogApplication {
  const app = snapshot.applicationByClientId(clientId);
  if (!app) throw new AppError('NOT_FOUND', `No application has the client id "${clientId}".`);
  return app;
}

function m2mClientOrThrow(snapshot: DecisionSnapshot, clientId: string): CatalogApplication {
  const app = snapshot.applicationByClientId(clientId);
  if (!app || app.type !== 'M2M') throw new AppError('NOT_FOUND', `No M2M client has the client id "${clientId}".`);
  return app;
}

function toResult(d: Decision): CheckResult {
  const roles = new Array<string>(d.roles.length);
  for (let i = 0; i < d.roles.length; i++) roles[i] = d.roles[i]!.key;
  return { allow: d.allow, reason: d.reason, roles, permissions: d.permissions };
}

/** `POST /check`: one decision from the snapshot. Throws NOT_FOUND for an unknown subject, org or application. */
export function checkDecision(snapshot: DecisionSnapshot, input: CheckInput, now: Date): CheckResult {
  const org = orgOrThrow(snapshot, input.organization);
  let subject: SubjectFacts;
  if (input.subject.type === 'user') {
    const user = snapshot.userBySub(input.subject.sub);
    if (!user) throw new AppError('NOT_FOUND', `No user has the sub "${input.subject.sub}".`);
    let membership: MembershipFact | null = null;
    if (org) {
      for (const m of user.memberships) {
        if (m.orgId === org.id) {
          membership = m;
          break;
        }
      }
    }
    // decide only reads the assignments; the snapshot's array is handed over as is.
    subject = { kind: 'user', id: user.id, blocked: user.blocked, membership, assignments: user.assignments as SubjectFacts['assignments'] };
  } else {
    const client = m2mClientOrThrow(snapshot, input.subject.clientId);
    subject = { kind: 'client', id: client.id, assignments: snapshot.clientAssignments(client.id) as SubjectFacts['assignments'] };
  }
  let target: Target = NO_TARGET;
  if (input.target?.type === 'application') target = { kind: 'application', application: applicationOrThrow(snapshot, input.target.clientId) };
  else if (input.target?.type === 'permission') target = { kind: 'permission', audience: input.target.audience, permission: input.target.permission };
  return toResult(decide({ subject, org, target, audience: input.audience, now, catalog: snapshot.catalog }));
}

const NO_TARGET: Target = { kind: 'none' };

/** `POST /decisions/client-credentials`: may this M2M client get a token for `audience` (in the org given)? */
export function clientCredentialsDecision(snapshot: DecisionSnapshot, input: ClientCredentialsDecisionInput, now: Date): ClientCredentialsDecision {
  const client = m2mClientOrThrow(snapshot, input.clientId);
  const org = auth0OrgOrThrow(snapshot, input.organization, input.auth0OrganizationId);
  const subject: SubjectFacts = { kind: 'client', id: client.id, assignments: snapshot.clientAssignments(client.id) as SubjectFacts['assignments'] };
  const result = toResult(
    decide({ subject, org, target: { kind: 'audience', audience: input.audience }, audience: input.audience, now, catalog: snapshot.catalog }),
  );
  return { ...result, organization: org ? { slug: org.slug, name: org.name } : null };
}

/**
 * `POST /decisions/login`: records the sign-in with `recordSignIn` (creating the user and applying the default-role
 * rules on the first one; a refresh-token exchange is recorded as a refresh, not a sign-in), then decides whether the
 * user may sign in to the application, in the org given. A user the snapshot already knows is decided from it (at
 * most a second old, like every other answer); a user created by this sign-in, or too recently for the snapshot,
 * from their memberships and assignments read fresh.
 *
 * An application Gatehouse does not know is NOT_FOUND, or, when the deployment allows unknown applications, an allow
 * without claims (`unknown_application_allowed`) for which the organization is not looked at.
 *
 * While the database is unreachable, a user the snapshot knows is decided from it and the sign-in is queued in
 * `ctx.pendingSignIns`, to be recorded when the database is back; a first sign-in (it needs the default-role rules
 * applied in the database) or a full queue throws LoginUnavailableError (503 with Retry-After), never a 500.
 */
export async function loginDecision(
  snapshot: DecisionSnapshot,
  db: Db,
  input: LoginDecisionInput,
  ctx: { requestId: string; unknownApplications: UnknownApplications; pendingSignIns: PendingSignIns },
): Promise<LoginDecision> {
  const app = ctx.unknownApplications === 'allow' ? snapshot.applicationByClientId(input.clientId) : applicationOrThrow(snapshot, input.clientId);
  const org = app ? auth0OrgOrThrow(snapshot, input.organization, input.auth0OrganizationId) : null;
  const identity = identityFromClaims({
    sub: input.user.sub,
    email: input.user.email,
    ...(input.user.email_verified !== undefined ? { email_verified: input.user.email_verified } : {}),
    ...(input.user.name ? { name: input.user.name } : {}),
    ...(input.user.connection ? { [CONNECTION_CLAIM]: input.user.connection } : {}),
  });
  const place = { orgId: org?.id ?? null, clientId: input.clientId, kind: input.kind === 'refresh' ? ('REFRESH' as const) : ('SIGN_IN' as const) };
  let user: { id: string; blocked: boolean; created: boolean };
  try {
    user = await recordSignIn(db, ctx, identity, place);
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    const known = snapshot.userBySub(identity.sub);
    if (!known) {
      throw new LoginUnavailableError(
        'The database is unreachable and this is a first sign-in (or one too recent for this instance), which needs it; retry shortly.',
        { cause: error },
      );
    }
    if (!ctx.pendingSignIns.add(ctx.requestId, identity, place)) {
      throw new LoginUnavailableError('The database is unreachable and too many sign-ins wait to be recorded; retry shortly.', { cause: error });
    }
    user = { id: known.id, blocked: known.blocked, created: false };
  }
  if (!app) {
    return {
      allow: true,
      reason: {
        code: UNKNOWN_APPLICATION_ALLOWED,
        message: `No application has the client id "${input.clientId}"; this deployment lets sign-ins to applications Gatehouse does not know through, without Gatehouse claims.`,
      },
      roles: [],
      permissions: [],
      organization: null,
      claims: {},
    };
  }

  let memberships: (MembershipFact & { slug: string; suspended: boolean })[];
  let assignments: readonly AssignmentFact[];
  const known = user.created ? undefined : snapshot.userById(user.id);
  if (known) {
    memberships = [];
    for (const m of known.memberships) {
      const o = snapshot.orgById(m.orgId);
      if (o) memberships.push({ orgId: m.orgId, tier: m.tier, slug: o.slug, suspended: o.suspended });
    }
    assignments = known.assignments;
  } else {
    const fresh = await snapshot.loadUserFacts(user.id);
    memberships = fresh.memberships;
    assignments = fresh.assignments;
  }

  const membership = org ? (memberships.find((m) => m.orgId === org.id) ?? null) : null;
  const decision = decide({
    subject: {
      kind: 'user',
      id: user.id,
      // Blocked as of this sign-in's own write.
      blocked: user.blocked,
      membership: membership ? { orgId: membership.orgId, tier: membership.tier } : null,
      assignments: assignments as AssignmentFact[],
    },
    org,
    target: { kind: 'application', application: app },
    audience: input.audience,
    now: new Date(),
    catalog: snapshot.catalog,
  });
  const result = toResult(decision);
  const activeOrg = org && membership && !org.suspended && !user.blocked ? org.slug : null;
  return {
    ...result,
    organization: org ? { slug: org.slug, name: org.name, tier: membership?.tier ?? null } : null,
    claims: {
      [LOGIN_CLAIMS.roles]: result.roles,
      [LOGIN_CLAIMS.permissions]: [...new Set(result.permissions.map((p) => p.value))].sort(),
      [LOGIN_CLAIMS.org]: activeOrg,
      [LOGIN_CLAIMS.orgs]: user.blocked ? [] : memberships.filter((m) => !m.suspended).map((m) => m.slug).sort(),
    },
  };
}
