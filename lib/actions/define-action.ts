import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import { requireOrgContext, requirePlatform, requireUser } from '@/lib/authz/context';
import { ORG_ACTION_POLICY, PLATFORM_ACTION_POLICY, type OrgActionName, type PlatformActionName } from '@/lib/authz/surface';
import type { OrgContext, PlatformContext, UserContext } from '@/lib/authz/types';
import { AppError, asAppError, toPublicError, type FieldErrors, type PublicError } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { getRequestId } from '@/lib/request-id';

/** What every server action returns. */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: PublicError };

function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join('.') : '_';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

function parse<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('BAD_INPUT', 'Some fields need attention.', { fieldErrors: fieldErrorsOf(parsed.error) });
  }
  return parsed.data;
}

async function run<T>(name: string, body: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await body() };
  } catch (error) {
    unstable_rethrow(error); // redirect() / notFound() keep working inside actions
    const requestId = await getRequestId();
    const known = asAppError(error);
    if (!known || known.code === 'INTERNAL') logger.error({ err: error, requestId, action: name }, 'action failed');
    else if (known.code === 'UNAVAILABLE') logger.warn({ requestId, action: name }, 'action refused: the database is unreachable');
    // A schema let through what the database refused: answered as bad input, logged so the schema gets fixed.
    else if (known !== error) logger.warn({ err: error, requestId, action: name }, 'input refused by the database');
    return { ok: false, error: toPublicError(known ?? error, requestId) };
  }
}

const WithOrgSlug = z.object({ orgSlug: z.string().max(100) });

/**
 * An action inside one org: the slug comes with the input and is resolved against the caller's memberships.
 * `name` is the exported name; its permission comes from ORG_ACTION_POLICY (lib/authz/surface.ts).
 * Authorization runs before the input is parsed, so a caller without the power learns nothing from validation.
 */
export function orgAction<S extends z.ZodType, T>(
  name: OrgActionName,
  config: { input: S },
  handler: (args: { input: z.output<S>; ctx: OrgContext }) => Promise<T>,
): (raw: { orgSlug: string } & z.input<S>) => Promise<ActionResult<T>> {
  const permission = ORG_ACTION_POLICY[name];
  return (raw) =>
    run(name, async () => {
      const { orgSlug } = parse(WithOrgSlug, raw);
      const ctx = await requireOrgContext(orgSlug, permission);
      const input = parse(config.input, raw);
      return handler({ input, ctx });
    });
}

/** An action in the platform area; its permission comes from PLATFORM_ACTION_POLICY by exported name. */
export function platformAction<S extends z.ZodType, T>(
  name: PlatformActionName,
  config: { input: S },
  handler: (args: { input: z.output<S>; ctx: PlatformContext }) => Promise<T>,
): (raw: z.input<S>) => Promise<ActionResult<T>> {
  const permission = PLATFORM_ACTION_POLICY[name];
  return (raw) =>
    run(name, async () => {
      const ctx = await requirePlatform(permission);
      const input = parse(config.input, raw);
      return handler({ input, ctx });
    });
}

/** An action for any signed-in user (onboarding, accepting an invitation). */
export function userAction<S extends z.ZodType, T>(
  config: { input: S; name: string },
  handler: (args: { input: z.output<S>; ctx: UserContext }) => Promise<T>,
): (raw: z.input<S>) => Promise<ActionResult<T>> {
  return (raw) =>
    run(config.name, async () => {
      const ctx = await requireUser();
      const input = parse(config.input, raw);
      return handler({ input, ctx });
    });
}
