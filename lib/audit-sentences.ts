import type { AuditAction } from '@/lib/audit';
import { PLATFORM_ROLE_LABELS, TIER_LABELS, type PlatformRole, type Tier } from '@/lib/vocabulary';

/**
 * Audit events as sentences people read ("Nora made Ada an owner"), and their before/after as a list of changed
 * fields. Framework-free and pure (no React, no Next, no database): the org audit log, the global audit log and the
 * CSV exports all render through `auditSentence` / `sentenceText`, and the renderer (components/audit) turns the
 * references into links the viewer may open. Every action in AUDIT_ACTIONS has a sentence (the table is checked by
 * the type checker and by audit-sentences.test.ts).
 */

/** A person or thing a sentence names; `id` null when the event does not know it (a deleted row, a system actor). */
export interface AuditRef {
  kind: 'user' | 'org' | 'role' | 'api' | 'application' | 'rule' | 'api_key' | 'invitation' | 'assignment' | 'client' | 'system' | 'view';
  id: string | null;
  label: string;
}

export type SentencePart = string | AuditRef;

/** What a sentence is made from: the event with the labels of the people and orgs it names resolved. */
export interface AuditEventForSentence {
  action: string;
  actor: { type: string; id: string | null; label: string | null };
  org: { id: string; label: string } | null;
  target: { type: string; id: string | null; label: string | null } | null;
  before: unknown;
  after: unknown;
}

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {};
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** The first string found under `key` in after, then before. */
function pick(e: AuditEventForSentence, ...keys: string[]): string | null {
  for (const key of keys) {
    const v = str(obj(e.after)[key]) ?? str(obj(e.before)[key]);
    if (v) return v;
  }
  return null;
}

const ARTICLE_AN = /^[aeiou]/i;

/** "an owner", "an admin", "an employee". */
export function tierPhrase(tier: unknown): string {
  const label = typeof tier === 'string' && tier in TIER_LABELS ? TIER_LABELS[tier as Tier].toLowerCase() : 'a member';
  return label.startsWith('a ') ? label : `${ARTICLE_AN.test(label) ? 'an' : 'a'} ${label}`;
}

/** "a superadmin", "staff", "an operator", "no platform role". */
export function platformRolePhrase(role: unknown): string {
  if (role === 'NONE') return 'no longer platform staff';
  if (role === 'STAFF') return 'platform staff';
  const label = typeof role === 'string' && role in PLATFORM_ROLE_LABELS ? PLATFORM_ROLE_LABELS[role as PlatformRole].toLowerCase() : 'staff';
  return `${ARTICLE_AN.test(label) ? 'an' : 'a'} ${label}`;
}

function actorRef(e: AuditEventForSentence): AuditRef {
  if (e.actor.type === 'user') return { kind: 'user', id: e.actor.id, label: e.actor.label ?? 'Someone' };
  if (e.actor.type === 'api_key') return { kind: 'api_key', id: e.actor.id, label: `API key ${e.actor.label ?? ''}`.trim() };
  return { kind: 'system', id: null, label: e.actor.label ?? 'Gatehouse' };
}

function orgRef(e: AuditEventForSentence): AuditRef | string {
  return e.org ? { kind: 'org', id: e.org.id, label: e.org.label } : 'an organization';
}

/** The target as a reference of its own kind, labelled from the resolved label or the event's before/after. */
function targetRef(e: AuditEventForSentence, kind: AuditRef['kind'], ...labelKeys: string[]): AuditRef {
  const label = e.target?.label ?? pick(e, ...labelKeys) ?? `a deleted ${kind.replace('_', ' ')}`;
  return { kind, id: e.target?.id ?? null, label };
}

function userTarget(e: AuditEventForSentence): AuditRef {
  return targetRef(e, 'user', 'email', 'to');
}

/** The subject of a role assignment (a user or an M2M client) from its `subject` field. */
function subjectRef(e: AuditEventForSentence): AuditRef {
  const s = obj(obj(e.after).subject ?? obj(e.before).subject);
  if (s.type === 'client') return { kind: 'client', id: str(s.id), label: str(s.name) ?? str(s.clientId) ?? 'an M2M client' };
  return { kind: 'user', id: str(s.id), label: str(s.email) ?? 'a user' };
}

function code(value: string | null, fallback: string): string {
  return value ? `“${value}”` : fallback;
}

function changedFields(e: AuditEventForSentence): string {
  const keys = diffAudit(e.before, e.after).map((d) => d.path);
  return keys.length > 0 ? ` (${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''})` : '';
}

type Sentence = (e: AuditEventForSentence, a: AuditRef) => SentencePart[];

const catalogSentences = (kind: 'role' | 'api' | 'application', noun: string) =>
  ({
    created: (e, a) => [a, ` created the ${noun} `, targetRef(e, kind, 'name', 'key')],
    updated: (e, a) => [a, ` changed the ${noun} `, targetRef(e, kind, 'name', 'key'), changedFields(e)],
    deleted: (e, a) => [a, ` deleted the ${noun} `, { ...targetRef(e, kind, 'name', 'key'), id: null }],
  }) satisfies Record<string, Sentence>;

const ROLE = catalogSentences('role', 'role');
const API = catalogSentences('api', 'API');
const APPLICATION = catalogSentences('application', 'application');

/** One sentence per action. `satisfies` makes a new action without a sentence a type error. */
export const AUDIT_SENTENCES = {
  'org.created': (e, a) => [a, ' created ', orgRef(e)],
  'org.updated': (e, a) => [a, ' changed the settings of ', orgRef(e), changedFields(e)],
  'org.suspended': (e, a) => [a, ' suspended ', orgRef(e), pick(e, 'reason') ? `: ${pick(e, 'reason')}` : ''],
  'org.reinstated': (e, a) => [a, ' reinstated ', orgRef(e)],
  'member.added': (e) => {
    const via = pick(e, 'via');
    const how = via === 'invitation' ? ' by invitation' : obj(e.after).rule || via === 'rule' ? ' through a default-role rule' : '';
    return [userTarget(e), ' joined ', orgRef(e), ` as ${tierPhrase(obj(e.after).tier)}${how}`];
  },
  'member.tier_changed': (e, a) => [a, ' made ', userTarget(e), ` ${tierPhrase(obj(e.after).tier)}`],
  'member.removed': (e, a) => [a, ' removed ', userTarget(e), ' from ', orgRef(e)],
  'member.left': (e) => [userTarget(e), ' left ', orgRef(e)],
  'member.roles_changed': (e, a) => {
    const granted = str(obj(e.after).granted);
    if (granted) return [a, ' gave ', userTarget(e), ` the role ${code(granted, 'a role')}`];
    return [a, ` took the role ${code(str(obj(e.before).revoked), 'a role')} from `, userTarget(e)];
  },
  'ownership.transferred': (e, a) => [a, ' transferred ownership of ', orgRef(e), ' to ', userTarget(e)],
  'invitation.created': (e, a) => [a, ` invited ${pick(e, 'email') ?? 'someone'} to `, orgRef(e), ` as ${tierPhrase(obj(e.after).tier)}`],
  'invitation.resent': (e, a) => [a, ` resent the invitation to ${pick(e, 'email') ?? 'someone'}`],
  'invitation.revoked': (e, a) => [a, ` revoked the invitation to ${pick(e, 'email') ?? 'someone'}`],
  'invitation.accepted': (e, a) => [a, ' accepted the invitation to ', orgRef(e), ` as ${tierPhrase(obj(e.after).tier)}`],
  'user.signed_up': (e) => [userTarget(e), ' signed in for the first time'],
  'user.imported': (e) => [userTarget(e), ' was added by a bulk import'],
  'import.started': (e, a) => [a, ` started a bulk import of ${pick(e, 'fileName') ?? 'a file'} (${String(obj(e.after).rows ?? '?')} rows)`, ...(e.org ? [' into ', orgRef(e)] : [])],
  'import.finished': (e, a) => [a, `’s bulk import of ${pick(e, 'fileName') ?? 'a file'} ended: ${(pick(e, 'status') ?? 'finished').toLowerCase()}`],
  'user.blocked': (e, a) => [a, ' blocked ', userTarget(e)],
  'user.unblocked': (e, a) => [a, ' unblocked ', userTarget(e)],
  'user.platform_role_changed': (e, a) => [a, ' made ', userTarget(e), ` ${platformRolePhrase(obj(e.after).platformRole)}`],
  'user.signed_out_everywhere': (_e, a) => [a, ' signed out on every device'],
  'role.created': ROLE.created,
  'role.updated': ROLE.updated,
  'role.deleted': ROLE.deleted,
  'api.created': API.created,
  'api.updated': API.updated,
  'api.deleted': API.deleted,
  'application.created': APPLICATION.created,
  'application.updated': APPLICATION.updated,
  'application.deleted': APPLICATION.deleted,
  'assignment.created': (e, a) => {
    const role = str(obj(e.after).role) ?? str(obj(e.after).roleId);
    return [a, ' gave ', subjectRef(e), ` the role ${code(role, 'a role')}`, ...(e.org ? [' in ', orgRef(e)] : [' in every organization'])];
  },
  'assignment.deleted': (e, a) => [a, ` took the role ${code(str(obj(e.before).role), 'a role')} from `, subjectRef(e), ...(e.org ? [' in ', orgRef(e)] : [])],
  'rule.created': (e, a) => [a, ' created the default-role rule ', targetRef(e, 'rule', 'name')],
  'rule.updated': (e, a) => [a, ' changed the default-role rule ', targetRef(e, 'rule', 'name'), changedFields(e)],
  'rule.deleted': (e, a) => [a, ' deleted the default-role rule ', { ...targetRef(e, 'rule', 'name'), id: null }],
  'rule.backfilled': (e, a) => [a, ' applied the default-role rule ', targetRef(e, 'rule', 'name'), ` to existing users (${String(obj(e.after).matched ?? 0)} matched)`],
  'api_key.created': (e, a) => [a, ' created the API key ', targetRef(e, 'api_key', 'name')],
  'api_key.revoked': (e, a) => [a, ' revoked the API key ', targetRef(e, 'api_key', 'name')],
  'platform.viewed': (e, a) => {
    if (e.target?.type === 'user') return [a, ' looked at the details of ', userTarget(e)];
    if (e.target?.type === 'org') return [a, ' looked at the details of ', orgRef(e)];
    return [a, ' looked at ', { kind: 'view', id: e.target?.id ?? null, label: pick(e, 'path') ?? e.target?.id ?? 'a platform page' }];
  },
} as const satisfies Record<AuditAction, Sentence>;

/** True when the action has a sentence of its own (not the fallback). */
export function hasSentence(action: string): action is AuditAction {
  return Object.hasOwn(AUDIT_SENTENCES, action);
}

/** The event as sentence parts; an action this version does not know reads "<actor> did <action>". */
export function auditSentence(e: AuditEventForSentence): SentencePart[] {
  const a = actorRef(e);
  if (!hasSentence(e.action)) return [a, ` did ${e.action}`, ...(e.target ? [' on ', targetRef(e, 'assignment')] : [])];
  return (AUDIT_SENTENCES[e.action] as Sentence)(e, a).filter((p) => p !== '');
}

/** The sentence as plain text (CSV exports, titles). */
export function sentenceText(parts: readonly SentencePart[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p.label)).join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Before / after

export interface AuditDiffLine {
  /** The field, dotted for nested objects (`usage.members`). */
  path: string;
  /** JSON text of the value, or undefined when the side does not have the field. */
  before?: string;
  after?: string;
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Obj);
    if (entries.length === 0 && prefix) out.set(prefix, '{}');
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  if (value === undefined) return;
  out.set(prefix || '(value)', typeof value === 'string' ? value : JSON.stringify(value));
}

/** The fields that differ between before and after (added, removed or changed), in a stable order. */
export function diffAudit(before: unknown, after: unknown): AuditDiffLine[] {
  const b = new Map<string, string>();
  const a = new Map<string, string>();
  if (before !== null) flatten(before, '', b);
  if (after !== null) flatten(after, '', a);
  const paths = [...new Set([...b.keys(), ...a.keys()])];
  return paths
    .filter((p) => b.get(p) !== a.get(p))
    .map((path) => ({ path, ...(b.has(path) ? { before: b.get(path) } : {}), ...(a.has(path) ? { after: a.get(path) } : {}) }));
}
