'use client';

import { X } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { OrgPicker, type OrgChoice } from '@/components/assignments/org-picker';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { toast } from '@/components/ui/toaster';
import type { ActionResult } from '@/lib/actions/define-action';
import { TIER_LABELS, TIERS, type Tier } from '@/lib/vocabulary';
import { RuleMatchPreview, type PreviewAction } from './rule-match-preview';

export interface RuleFormValues {
  name: string;
  enabled: boolean;
  connection: string;
  emailDomain: string;
  requireVerifiedEmail: boolean;
  org: OrgChoice | null;
  tier: Tier | null;
  roles: { roleId: string; global: boolean }[];
  stop: boolean;
}

interface RulePayload {
  name: string;
  enabled: boolean;
  connection: string | null;
  emailDomain: string | null;
  requireVerifiedEmail: boolean;
  orgId: string | null;
  tier: Tier | null;
  roles: { roleId: string; global: boolean }[];
  stop: boolean;
}

// New rules start disabled (ADR 0013): nothing changes at sign-in until the operator has seen what the rule matches.
const EMPTY: RuleFormValues = {
  name: '',
  enabled: false,
  connection: '',
  emailDomain: '',
  requireVerifiedEmail: false,
  org: null,
  tier: null,
  roles: [],
  stop: false,
};

const selectClass =
  'flex h-9 w-full rounded-md border border-input bg-background px-3 py-1 text-sm shadow-xs aria-invalid:border-destructive disabled:opacity-50';

type Saved = ActionResult<{ id: string; matching?: number | null }>;
type Props = {
  roles: { id: string; key: string; name: string }[];
  orgChoices: OrgChoice[];
  /** The dry run's count for the conditions being typed (previewRuleMatches). */
  preview: PreviewAction;
} & (
  | { mode: 'create'; action: (input: RulePayload) => Promise<Saved> }
  | { mode: 'edit'; ruleId: string; initial: RuleFormValues; action: (input: RulePayload & { ruleId: string }) => Promise<Saved> }
);

/** Creates or edits a default-role rule: conditions, effect (org + tier, roles), stop and enabled. */
export function RuleForm(props: Props) {
  const id = useId();
  const router = useRouter();
  const initial = props.mode === 'edit' ? props.initial : EMPTY;
  const [v, setV] = useState<RuleFormValues>(initial);
  const [joinOrg, setJoinOrg] = useState(initial.org !== null);
  const [roleToAdd, setRoleToAdd] = useState('');
  const [missingOrg, setMissingOrg] = useState(false);

  const set = <K extends keyof RuleFormValues>(key: K, value: RuleFormValues[K]) => setV((old) => ({ ...old, [key]: value }));

  const save = useActionMutation(
    (input: RulePayload) => (props.mode === 'edit' ? props.action({ ...input, ruleId: props.ruleId }) : props.action(input)),
    {
      onSuccess: () => {
        toast({ title: props.mode === 'edit' ? `Saved “${v.name.trim()}”` : `Created “${v.name.trim()}”` });
        if (props.mode === 'create') {
          setV(EMPTY);
          setJoinOrg(false);
        }
        router.refresh();
      },
    },
  );

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setMissingOrg(joinOrg && !v.org);
    if (joinOrg && !v.org) return;
    save.mutate({
      name: v.name,
      enabled: v.enabled,
      connection: v.connection.trim() || null,
      emailDomain: v.emailDomain.trim() || null,
      requireVerifiedEmail: v.requireVerifiedEmail,
      orgId: joinOrg ? (v.org?.id ?? null) : null,
      tier: joinOrg ? v.tier : null,
      roles: v.roles,
      stop: v.stop,
    });
  }

  const roleName = (roleId: string) => props.roles.find((r) => r.id === roleId)?.name ?? 'Unknown role';
  const available = props.roles.filter((r) => !v.roles.some((x) => x.roleId === r.id));
  const rolesError =
    save.fieldError('roles') ??
    Object.entries(save.publicError?.fieldErrors ?? {}).find(([k]) => k.startsWith('roles.'))?.[1]?.[0];
  const orgError = missingOrg ? 'Choose the organization they join, or untick “Add them to an organization”.' : save.fieldError('orgId');
  const tierError = save.fieldError('tier');
  const hasFieldErrors = Boolean(save.publicError?.fieldErrors);
  const submitLabel = props.mode === 'edit' ? 'Save changes' : 'Create rule';
  return (
    <form onSubmit={onSubmit} className="space-y-6" noValidate aria-label={props.mode === 'edit' ? 'Edit rule' : 'New rule'}>
      {save.publicError && (
        <Alert variant="destructive">{hasFieldErrors ? 'Some fields need attention; see below.' : save.publicError.message}</Alert>
      )}
      <Field label="Name" htmlFor={`${id}-name`} error={save.fieldError('name')}>
        <Input id={`${id}-name`} value={v.name} onChange={(e) => set('name', e.target.value)} maxLength={100} required />
      </Field>

      <fieldset className="space-y-4 rounded-md border border-border p-4">
        <legend className="px-1 text-sm font-semibold">Conditions (all must hold; empty matches anyone)</legend>
        <Field
          label="Connection"
          htmlFor={`${id}-connection`}
          description="The Auth0 connection name, exactly, e.g. corp-azure-ad. Empty: any connection."
          error={save.fieldError('connection')}
        >
          <Input id={`${id}-connection`} value={v.connection} onChange={(e) => set('connection', e.target.value)} maxLength={128} autoComplete="off" />
        </Field>
        <Field
          label="Email domain"
          htmlFor={`${id}-domain`}
          description="Exactly this domain, without @, e.g. corp.example.com (sub-domains do not match). Empty: any address."
          error={save.fieldError('emailDomain')}
        >
          <Input id={`${id}-domain`} value={v.emailDomain} onChange={(e) => set('emailDomain', e.target.value)} maxLength={253} autoComplete="off" />
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={v.requireVerifiedEmail} onChange={(e) => set('requireVerifiedEmail', e.target.checked)} />
          Require a verified email
        </label>
        <RuleMatchPreview
          action={props.preview}
          conditions={{ connection: v.connection.trim() || null, emailDomain: v.emailDomain.trim() || null, requireVerifiedEmail: v.requireVerifiedEmail }}
        />
      </fieldset>

      <fieldset className="space-y-4 rounded-md border border-border p-4">
        <legend className="px-1 text-sm font-semibold">Effect</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={joinOrg} onChange={(e) => setJoinOrg(e.target.checked)} />
          Add them to an organization
        </label>
        {joinOrg && (
          <div className="space-y-4 border-l-2 border-border pl-4">
            <OrgPicker
              label="Organization"
              choices={props.orgChoices}
              value={v.org}
              onChange={(o) => {
                set('org', o);
                setMissingOrg(false);
              }}
              error={orgError}
            />
            <Field label="Tier" htmlFor={`${id}-tier`} error={tierError}>
              <select
                id={`${id}-tier`}
                className={selectClass}
                value={v.tier ?? ''}
                onChange={(e) => set('tier', e.target.value ? (e.target.value as Tier) : null)}
              >
                <option value="">Choose a tier…</option>
                {TIERS.map((t) => (
                  <option key={t} value={t}>
                    {TIER_LABELS[t]}
                  </option>
                ))}
              </select>
            </Field>
            <p className="text-xs text-muted-foreground">Someone who is already a member keeps the tier they have.</p>
          </div>
        )}

        <div className="space-y-2" role="group" aria-labelledby={`${id}-roles-label`}>
          <p id={`${id}-roles-label`} className="text-sm font-medium">
            Roles
          </p>
          {v.roles.length === 0 ? (
            <p className="text-sm text-muted-foreground">No roles.</p>
          ) : (
            <ul className="space-y-2">
              {v.roles.map((r, i) => (
                <li key={r.roleId} className="flex flex-wrap items-center gap-2">
                  <span className="min-w-40 text-sm font-medium">{roleName(r.roleId)}</span>
                  <select
                    aria-label={`Where ${roleName(r.roleId)} applies`}
                    className={`${selectClass} w-auto`}
                    value={r.global ? 'global' : 'org'}
                    onChange={(e) => set('roles', v.roles.map((x, j) => (j === i ? { ...x, global: e.target.value === 'global' } : x)))}
                  >
                    <option value="global">Global (every organization)</option>
                    <option value="org">In the rule’s organization</option>
                  </select>
                  <Button
                    type="button"
                    variant="ghost"
                    size="icon"
                    aria-label={`Remove ${roleName(r.roleId)}`}
                    onClick={() => set('roles', v.roles.filter((x) => x.roleId !== r.roleId))}
                  >
                    <X aria-hidden className="size-4" />
                  </Button>
                </li>
              ))}
            </ul>
          )}
          {available.length > 0 && (
            <div className="flex items-end gap-2">
              <div className="grow space-y-1.5">
                <label htmlFor={`${id}-add-role`} className="text-sm leading-none">
                  Role to add
                </label>
                <select id={`${id}-add-role`} className={selectClass} value={roleToAdd} onChange={(e) => setRoleToAdd(e.target.value)}>
                  <option value="">Choose a role…</option>
                  {available.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name} ({r.key})
                    </option>
                  ))}
                </select>
              </div>
              <Button
                type="button"
                variant="outline"
                disabled={!roleToAdd}
                onClick={() => {
                  set('roles', [...v.roles, { roleId: roleToAdd, global: !joinOrg }]);
                  setRoleToAdd('');
                }}
              >
                Add role
              </Button>
            </div>
          )}
          {rolesError && (
            <p role="alert" className="text-xs font-medium text-destructive">
              {rolesError}
            </p>
          )}
        </div>
      </fieldset>

      <div className="space-y-2">
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={v.stop} onChange={(e) => set('stop', e.target.checked)} />
          Stop here: someone this rule matches is not checked against later rules
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={v.enabled} onChange={(e) => set('enabled', e.target.checked)} />
          Enabled
          <span className="text-muted-foreground">(applies to first sign-ins from then on{props.mode === 'create' ? '; new rules start disabled' : ''})</span>
        </label>
      </div>
      <Button type="submit" loading={save.isPending}>
        {submitLabel}
      </Button>

    </form>
  );
}
