import { z } from 'zod';
import { ACCESS_POLICIES, APP_TYPES } from '@/lib/vocabulary';
import { nameText, text } from './text';

/**
 * Inputs for the role catalog: APIs and their permissions, roles, applications. Shared by the platform forms, the
 * server actions and (later) the API. The database repeats the formats as check constraints.
 */

// The enums' order and words live in the vocabulary; the inputs below validate against the same lists.
export type { AccessPolicy, AppType } from '@/lib/vocabulary';

/** Keys the built-in tier roles use; custom roles cannot take this prefix. */
export const BUILT_IN_ROLE_KEY_PREFIX = 'org:';

export const MAX_ROLE_PERMISSIONS = 2000;
export const MAX_ROLE_APPLICATIONS = 1000;

const Id = (what: string) => z.string({ error: `Choose ${what}.` }).uuid(`That ${what.replace(/^an? /, '')} does not exist.`);

export const CatalogName = nameText({ max: 100, minMessage: 'Enter a name.', typeMessage: 'Enter a name.' });

export const CatalogDescription = text({ max: 500, multiline: true }).default('');

/**
 * A role key such as `billing:admin` or `INTERNAL`. Keys are stored in lower case (the database insists), so
 * `INTERNAL` and `internal` are the same key.
 */
export const RoleKey = text({ min: 2, max: 63, typeMessage: 'Enter a key.' })
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9:_.-]*$/, 'Use letters, digits and : _ - . only, starting with a letter or digit.');

const ABSOLUTE_URL_START = /^[a-z][a-z0-9+.-]*:\/\//i;
const URN_LIKE = /^[a-z][a-z0-9+.-]*:[^\s/][^\s]*$/i;

function isAbsoluteUrl(value: string): boolean {
  if (!ABSOLUTE_URL_START.test(value)) return false;
  try {
    return new URL(value).host.length > 0;
  } catch {
    return false;
  }
}

/** An API identifier (the Auth0 audience): an absolute URL such as `https://api.example.com`, or a URN such as `urn:acme:billing`. */
export const ApiIdentifier = text({ min: 1, max: 200, minMessage: 'Enter an identifier.', typeMessage: 'Enter an identifier.' })
  .refine((s) => !/\s/.test(s), 'Spaces are not allowed.')
  .refine((s) => isAbsoluteUrl(s) || (!ABSOLUTE_URL_START.test(s) && URN_LIKE.test(s)), {
    error: 'Use an absolute URL such as https://api.example.com or a URN such as urn:example:api.',
  });

/** A permission such as `read:config`: an action, a colon, a resource (more `:parts` allowed; `*` in the resource). */
export const PermissionValue = text({ min: 3, max: 100, minMessage: 'Enter a permission such as read:config.', typeMessage: 'Enter a permission.' })
  .regex(/^[A-Za-z0-9_.-]+(?::[A-Za-z0-9_.*-]+)+$/, 'Use the form action:resource, such as read:config (letters, digits, _ . - and * after the colon).');

/** An Auth0 client id. */
export const Auth0ClientId = text({ max: 128, typeMessage: 'Enter the Auth0 client id.', maxMessage: 'Use the client id from Auth0: 8 to 128 letters, digits, _ or -.' })
  .regex(/^[A-Za-z0-9_-]{8,128}$/, 'Use the client id from Auth0: 8 to 128 letters, digits, _ or -.');

export const AppTypeInput = z.enum(APP_TYPES, { error: 'Choose single-page, regular web, native or machine to machine.' });
export const AccessPolicyInput = z.enum(ACCESS_POLICIES, { error: 'Choose open, any mapped role or all mapped roles.' });

/** Deletes answer CONFLICT with what uses the thing unless the caller confirms. */
const Confirm = z.boolean({ error: 'Confirm with true or false.' }).optional().default(false);

const unique = <T>(ids: T[]) => [...new Set(ids)];

// APIs and permissions

export const CreateApiInput = z.object({ name: CatalogName, identifier: ApiIdentifier, description: CatalogDescription });
export type CreateApiInput = z.output<typeof CreateApiInput>;

export const UpdateApiInput = CreateApiInput.extend({ apiId: Id('an API') });
export type UpdateApiInput = z.output<typeof UpdateApiInput>;

export const DeleteApiInput = z.object({ apiId: Id('an API'), confirm: Confirm });
export type DeleteApiInput = z.output<typeof DeleteApiInput>;

export const CreatePermissionInput = z.object({ apiId: Id('an API'), value: PermissionValue, description: CatalogDescription });
export type CreatePermissionInput = z.output<typeof CreatePermissionInput>;

export const DeletePermissionInput = z.object({ permissionId: Id('a permission'), confirm: Confirm });
export type DeletePermissionInput = z.output<typeof DeletePermissionInput>;

// Roles

export const CreateRoleInput = z.object({ key: RoleKey, name: CatalogName, description: CatalogDescription });
export type CreateRoleInput = z.output<typeof CreateRoleInput>;

export const UpdateRoleInput = CreateRoleInput.extend({ roleId: Id('a role') });
export type UpdateRoleInput = z.output<typeof UpdateRoleInput>;

export const DeleteRoleInput = z.object({ roleId: Id('a role'), confirm: Confirm });
export type DeleteRoleInput = z.output<typeof DeleteRoleInput>;

export const SetRolePermissionsInput = z.object({
  roleId: Id('a role'),
  permissionIds: z
    .array(Id('a permission'), { error: 'Choose the permissions.' })
    .max(MAX_ROLE_PERMISSIONS, `A role can grant at most ${MAX_ROLE_PERMISSIONS} permissions.`)
    .transform(unique),
});
export type SetRolePermissionsInput = z.output<typeof SetRolePermissionsInput>;

export const SetRoleApplicationsInput = z.object({
  roleId: Id('a role'),
  applicationIds: z
    .array(Id('an application'), { error: 'Choose the applications.' })
    .max(MAX_ROLE_APPLICATIONS, `A role can be mapped to at most ${MAX_ROLE_APPLICATIONS} applications.`)
    .transform(unique),
});
export type SetRoleApplicationsInput = z.output<typeof SetRoleApplicationsInput>;

// Applications

/** Where people open an application: an http(s) URL, or empty for none (the database repeats the check). */
export const ApplicationUrl = text({ max: 2000, typeMessage: 'Enter a URL.' })
  .refine((s) => s === '' || (/^https?:\/\/\S+$/i.test(s) && isAbsoluteUrl(s)), { error: 'Use an address starting with https:// or http://.' })
  .transform((s) => (s === '' ? null : s));

/** New applications deny until a role is mapped (ADR 0013): the safe default is ANY_ROLE, never OPEN. */
export const DEFAULT_ACCESS_POLICY = 'ANY_ROLE' as const;

export const CreateApplicationInput = z.object({
  name: CatalogName,
  type: AppTypeInput,
  clientId: Auth0ClientId,
  accessPolicy: AccessPolicyInput.default(DEFAULT_ACCESS_POLICY),
  description: CatalogDescription,
  /** Left out on an update: unchanged. */
  url: ApplicationUrl.optional(),
});
export type CreateApplicationInput = z.output<typeof CreateApplicationInput>;

export const UpdateApplicationInput = CreateApplicationInput.extend({ applicationId: Id('an application') });
export type UpdateApplicationInput = z.output<typeof UpdateApplicationInput>;

export const DeleteApplicationInput = z.object({ applicationId: Id('an application'), confirm: Confirm });
export type DeleteApplicationInput = z.output<typeof DeleteApplicationInput>;

/** One role mapped to (or unmapped from) one application, from the application's page. */
export const SetApplicationRoleInput = z.object({
  applicationId: Id('an application'),
  roleId: Id('a role'),
  mapped: z.boolean({ error: 'Say whether the role is mapped.' }),
});
export type SetApplicationRoleInput = z.output<typeof SetApplicationRoleInput>;
