import { z } from 'zod';

/**
 * Gatehouse's settings, validated once at start. The embedded defaults are decided here:
 * without DATABASE_URL the launcher starts an embedded PostgreSQL (PGlite), and without AUTH0_* it starts a local
 * OpenID provider that stands in for Auth0. Production refuses both, and refuses a weak AUTH0_SECRET.
 *
 * This module has no server-only import on purpose: the launcher, the migration runner and the tests use it too.
 */

export class EnvError extends Error {
  constructor(readonly problems: { setting: string; message: string }[]) {
    super(
      'Gatehouse cannot start; fix these settings:\n' +
        problems.map((p) => `  - ${p.setting}: ${p.message}`).join('\n'),
    );
    this.name = 'EnvError';
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Placeholder secrets from docs and examples, refused in production. */
const WEAK_SECRET = /changeme|change-me|placeholder|your[_-]?secret|secret{2,}|^(.)\1+$|1234567890|long_random/i;

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const RawEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: optionalString,
  APP_BASE_URL: optionalString,
  AUTH0_DOMAIN: optionalString,
  AUTH0_CLIENT_ID: optionalString,
  AUTH0_CLIENT_SECRET: optionalString,
  AUTH0_SECRET: optionalString,
  /** Set by the launcher when it started the embedded database / identity provider itself. */
  GATEHOUSE_EMBEDDED_DB: bool,
  GATEHOUSE_EMBEDDED_IDP: bool,
  /** Test-only: lets a production build talk to an http:// identity provider on this machine's loopback. */
  GATEHOUSE_ALLOW_LOOPBACK_IDP: bool,
  GATEHOUSE_DATA_DIR: optionalString,
  SMTP_URL: optionalString,
  MAIL_FROM: optionalString,
  DECISIONS_PORT: optionalString,
  DECISIONS_PUBLIC_URL: optionalString,
  DECISIONS_UNKNOWN_APPLICATIONS: optionalString,
  DECISIONS_MAX_SNAPSHOT_AGE_SECONDS: optionalString,
  GATEHOUSE_LIMIT_ORGS_PER_HOUR: optionalString,
  GATEHOUSE_LIMIT_ORGS_PER_DAY: optionalString,
  GATEHOUSE_LIMIT_INVITATIONS_PER_HOUR: optionalString,
  GATEHOUSE_LIMIT_INVITATIONS_PER_DAY: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Env {
  nodeEnv: 'development' | 'production' | 'test';
  production: boolean;
  /** What the launcher must start because it was not configured. */
  embedded: { database: boolean; idp: boolean };
  databaseUrl: string | undefined;
  appBaseUrl: string;
  auth0:
    | {
        domain: string;
        clientId: string;
        clientSecret: string;
        secret: string;
        /** true only for an http:// provider on loopback (the local provider), never for a real tenant. */
        allowInsecureRequests: boolean;
      }
    | undefined;
  dataDir: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** The decision API (its own process, docs/decisions/0007-decision-api.md). */
  decisions: {
    /** The port the launchers start it on (DECISIONS_PORT, default 3001). */
    port: number;
    /** Where Auth0 reaches it (DECISIONS_PUBLIC_URL, no trailing slash); undefined: the console's host on `port`. */
    publicUrl: string | undefined;
    /** A login to an application Gatehouse does not know: denied (default) or let through without claims. */
    unknownApplications: UnknownApplicationsSetting;
    /** Readiness (`/health/ready`) fails when the snapshot is older than this (DECISIONS_MAX_SNAPSHOT_AGE_SECONDS, default 300). */
    maxSnapshotAgeSeconds: number;
  };
  logLevel: z.infer<typeof RawEnv>['LOG_LEVEL'];
  /** Abuse limits per person, counted in SQL across instances (lib/data/personal-limits.ts). */
  limits: PersonalLimits;
}

/** How many orgs one person may create, and invitations (sent or resent) one person may send, per hour and per day. */
export interface PersonalLimits {
  orgsPerHour: number;
  orgsPerDay: number;
  invitationsPerHour: number;
  invitationsPerDay: number;
}

export const DEFAULT_PERSONAL_LIMITS: PersonalLimits = { orgsPerHour: 5, orgsPerDay: 20, invitationsPerHour: 200, invitationsPerDay: 1000 };

/** A limit setting: a whole number from 1 to 1,000,000, or the default when unset. */
function parseLimit(value: string | undefined, fallback: number): number | { message: string } {
  if (value === undefined) return fallback;
  const n = Number(value);
  return /^\d+$/.test(value) && n >= 1 && n <= 1_000_000 ? n : { message: 'must be a whole number from 1 to 1000000' };
}

export const DEFAULT_DECISIONS_PORT = 3001;

/**
 * DECISIONS_PORT as a number (DEFAULT_DECISIONS_PORT when unset), or an error message. Exported for the decision
 * API's own process, which runs with fewer settings than the console and so does not call parseEnv.
 */
export function parseDecisionsPort(value: string | undefined): number | { message: string } {
  if (value === undefined || value.trim() === '') return DEFAULT_DECISIONS_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port < 1 || port > 65535) return { message: `must be a port number from 1 to 65535, not "${value}"` };
  return port;
}

export const UNKNOWN_APPLICATIONS_SETTINGS = ['deny', 'allow'] as const;
export type UnknownApplicationsSetting = (typeof UNKNOWN_APPLICATIONS_SETTINGS)[number];

/**
 * DECISIONS_UNKNOWN_APPLICATIONS: what the login decision does for a client id no application has. `deny` (the
 * default) answers NOT_FOUND, so the post-login Action denies; `allow` lets the login through without Gatehouse
 * claims, for rolling the Action out in a tenant whose applications are not all registered yet. Exported for the
 * decision API's own process, like parseDecisionsPort.
 */
export function parseUnknownApplications(value: string | undefined): UnknownApplicationsSetting | { message: string } {
  const v = value?.trim().toLowerCase();
  if (v === undefined || v === '') return 'deny';
  return (UNKNOWN_APPLICATIONS_SETTINGS as readonly string[]).includes(v)
    ? (v as UnknownApplicationsSetting)
    : { message: `must be "deny" or "allow", not "${value}"` };
}

export const DEFAULT_MAX_SNAPSHOT_AGE_SECONDS = 300;

/**
 * DECISIONS_MAX_SNAPSHOT_AGE_SECONDS: how old the decision API's snapshot may grow (the database unreachable) before
 * `/health/ready` answers 503. Minutes, not seconds: every instance loses the database at the same moment, and a
 * load balancer that took them all out would turn a database outage into a decision outage. Exported for the
 * decision API's own process, like parseDecisionsPort.
 */
export function parseMaxSnapshotAge(value: string | undefined): number | { message: string } {
  if (value === undefined || value.trim() === '') return DEFAULT_MAX_SNAPSHOT_AGE_SECONDS;
  const seconds = Number(value);
  if (!/^\d+$/.test(value.trim()) || seconds < 1 || seconds > 86_400) return { message: `must be a whole number of seconds from 1 to 86400, not "${value}"` };
  return seconds;
}

/** Production serves over https; plain http is refused there except on this machine's loopback (tests, a one-host trial). */
function httpRefusedInProduction(url: URL, production: boolean): boolean {
  return production && url.protocol !== 'https:' && !LOOPBACK_HOSTS.has(url.hostname);
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * Parses and checks settings. Throws {@link EnvError} naming every bad setting at once.
 */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = RawEnv.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(
      parsed.error.issues.map((i) => ({ setting: String(i.path[0] ?? 'settings'), message: i.message })),
    );
  }
  const raw = parsed.data;
  const problems: { setting: string; message: string }[] = [];
  const production = raw.NODE_ENV === 'production';

  // Database
  if (raw.DATABASE_URL) {
    const url = parseUrl(raw.DATABASE_URL);
    if (!url || !['postgres:', 'postgresql:'].includes(url.protocol)) {
      problems.push({ setting: 'DATABASE_URL', message: 'must be a postgresql:// connection URL' });
    }
  }
  const embeddedDb = !raw.DATABASE_URL || raw.GATEHOUSE_EMBEDDED_DB;
  if (production && embeddedDb) {
    problems.push({
      setting: 'DATABASE_URL',
      message: 'is required in production; the embedded database is for local development only',
    });
  }

  // App URL
  const appBaseUrl = raw.APP_BASE_URL ?? 'http://localhost:3000';
  const appUrl = parseUrl(appBaseUrl);
  if (!appUrl || !['http:', 'https:'].includes(appUrl.protocol) || appUrl.pathname !== '/' || appUrl.search) {
    problems.push({ setting: 'APP_BASE_URL', message: 'must be an http(s) origin such as https://gatehouse.example.com' });
  } else if (httpRefusedInProduction(appUrl, production)) {
    problems.push({ setting: 'APP_BASE_URL', message: 'must use https in production' });
  }

  // Auth0: all four or none.
  const auth0Keys = ['AUTH0_DOMAIN', 'AUTH0_CLIENT_ID', 'AUTH0_CLIENT_SECRET', 'AUTH0_SECRET'] as const;
  const given = auth0Keys.filter((k) => raw[k] !== undefined);
  let auth0: Env['auth0'];
  const embeddedIdp = given.length === 0 || raw.GATEHOUSE_EMBEDDED_IDP;
  if (given.length > 0 && given.length < auth0Keys.length) {
    for (const k of auth0Keys.filter((k) => raw[k] === undefined)) {
      problems.push({ setting: k, message: `is missing; set all of ${auth0Keys.join(', ')} or none of them` });
    }
  } else if (given.length === auth0Keys.length) {
    const domain = raw.AUTH0_DOMAIN!;
    let allowInsecureRequests = false;
    if (/^https?:\/\//i.test(domain)) {
      const url = parseUrl(domain);
      if (!url || url.pathname !== '/' || url.search || url.hash) {
        problems.push({ setting: 'AUTH0_DOMAIN', message: 'must be a hostname such as tenant.eu.auth0.com, or an https:// origin' });
      } else if (url.protocol === 'http:') {
        if (!LOOPBACK_HOSTS.has(url.hostname)) {
          problems.push({ setting: 'AUTH0_DOMAIN', message: 'must use https (http is allowed only for a provider on localhost)' });
        } else if (production && !raw.GATEHOUSE_ALLOW_LOOPBACK_IDP) {
          problems.push({
            setting: 'AUTH0_DOMAIN',
            message: 'points at a local http provider, which production refuses; use your Auth0 tenant',
          });
        } else {
          allowInsecureRequests = true;
        }
      }
    } else if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(domain)) {
      problems.push({ setting: 'AUTH0_DOMAIN', message: 'must be a hostname such as tenant.eu.auth0.com' });
    }
    const secret = raw.AUTH0_SECRET!;
    if (secret.length < 32) {
      problems.push({ setting: 'AUTH0_SECRET', message: 'must be at least 32 characters (generate one with `openssl rand -hex 32`)' });
    } else if (production && (WEAK_SECRET.test(secret) || new Set(secret).size < 12)) {
      problems.push({
        setting: 'AUTH0_SECRET',
        message: 'is too weak for production; use 32+ random characters (`openssl rand -hex 32`)',
      });
    }
    auth0 = {
      domain,
      clientId: raw.AUTH0_CLIENT_ID!,
      clientSecret: raw.AUTH0_CLIENT_SECRET!,
      secret,
      allowInsecureRequests,
    };
  }
  if (production && embeddedIdp) {
    problems.push({
      setting: 'AUTH0_DOMAIN',
      message: 'and the other AUTH0_* settings are required in production; the local identity provider is for development only',
    });
  }

  if (production && !raw.SMTP_URL) {
    // Without SMTP, invitation mail would sit in the development outbox, which production does not show.
    problems.push({ setting: 'SMTP_URL', message: 'is required in production so invitation emails reach people (smtp://user:pass@host:587)' });
  }
  if (raw.SMTP_URL) {
    const url = parseUrl(raw.SMTP_URL);
    if (!url || !['smtp:', 'smtps:'].includes(url.protocol)) {
      problems.push({ setting: 'SMTP_URL', message: 'must be an smtp:// or smtps:// URL' });
    }
  }
  const mailFrom = raw.MAIL_FROM ?? 'Gatehouse <no-reply@gatehouse.local>';
  if (!/^[^<>]*<[^@\s<>]+@[^@\s<>]+>$|^[^@\s<>]+@[^@\s<>]+$/.test(mailFrom)) {
    problems.push({ setting: 'MAIL_FROM', message: 'must be an address such as "Gatehouse <no-reply@example.com>"' });
  }

  // Decision API
  const decisionsPort = parseDecisionsPort(raw.DECISIONS_PORT);
  if (typeof decisionsPort !== 'number') problems.push({ setting: 'DECISIONS_PORT', ...decisionsPort });
  let decisionsPublicUrl: string | undefined;
  if (raw.DECISIONS_PUBLIC_URL) {
    // Auth0's Actions and the customer's backends call this URL; it is shown on the Install page to copy.
    const url = parseUrl(raw.DECISIONS_PUBLIC_URL);
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username || url.password) {
      problems.push({
        setting: 'DECISIONS_PUBLIC_URL',
        message: 'must be the http(s) URL the decision API is published at, such as https://decisions.example.com',
      });
    } else if (httpRefusedInProduction(url, production)) {
      problems.push({ setting: 'DECISIONS_PUBLIC_URL', message: 'must use https in production (API keys travel in it)' });
    } else {
      decisionsPublicUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    }
  }

  const unknownApplications = parseUnknownApplications(raw.DECISIONS_UNKNOWN_APPLICATIONS);
  if (typeof unknownApplications !== 'string') problems.push({ setting: 'DECISIONS_UNKNOWN_APPLICATIONS', ...unknownApplications });
  const maxSnapshotAge = parseMaxSnapshotAge(raw.DECISIONS_MAX_SNAPSHOT_AGE_SECONDS);
  if (typeof maxSnapshotAge !== 'number') problems.push({ setting: 'DECISIONS_MAX_SNAPSHOT_AGE_SECONDS', ...maxSnapshotAge });

  const limitSettings = {
    orgsPerHour: ['GATEHOUSE_LIMIT_ORGS_PER_HOUR', raw.GATEHOUSE_LIMIT_ORGS_PER_HOUR],
    orgsPerDay: ['GATEHOUSE_LIMIT_ORGS_PER_DAY', raw.GATEHOUSE_LIMIT_ORGS_PER_DAY],
    invitationsPerHour: ['GATEHOUSE_LIMIT_INVITATIONS_PER_HOUR', raw.GATEHOUSE_LIMIT_INVITATIONS_PER_HOUR],
    invitationsPerDay: ['GATEHOUSE_LIMIT_INVITATIONS_PER_DAY', raw.GATEHOUSE_LIMIT_INVITATIONS_PER_DAY],
  } as const satisfies Record<keyof PersonalLimits, readonly [string, string | undefined]>;
  const limits = { ...DEFAULT_PERSONAL_LIMITS };
  for (const [key, [setting, value]] of Object.entries(limitSettings) as [keyof PersonalLimits, readonly [string, string | undefined]][]) {
    const parsedLimit = parseLimit(value, DEFAULT_PERSONAL_LIMITS[key]);
    if (typeof parsedLimit === 'number') limits[key] = parsedLimit;
    else problems.push({ setting, ...parsedLimit });
  }

  if (problems.length > 0) throw new EnvError(problems);

  return {
    nodeEnv: raw.NODE_ENV,
    production,
    embedded: { database: embeddedDb, idp: embeddedIdp },
    databaseUrl: raw.DATABASE_URL,
    appBaseUrl: appBaseUrl.replace(/\/$/, ''),
    auth0,
    dataDir: raw.GATEHOUSE_DATA_DIR ?? '.gatehouse',
    smtpUrl: raw.SMTP_URL,
    mailFrom,
    decisions: {
      port: decisionsPort as number,
      publicUrl: decisionsPublicUrl,
      unknownApplications: unknownApplications as UnknownApplicationsSetting,
      maxSnapshotAgeSeconds: maxSnapshotAge as number,
    },
    logLevel: raw.LOG_LEVEL,
    limits,
  };
}

let cached: Env | undefined;

/** The validated settings of this process (parsed on first use, then cached). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
