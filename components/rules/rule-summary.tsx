import { Badge } from '@/components/ui/badge';
import { TIER_LABELS, type Tier } from '@/lib/vocabulary';

interface Summarized {
  connection: string | null;
  emailDomain: string | null;
  requireVerifiedEmail: boolean;
  org: { slug: string; name: string } | null;
  tier: Tier | null;
  roles: { id: string; name: string; global: boolean }[];
}

/** "connection is corp-azure-ad · email ends in @corp.test · verified email", or "Everyone". */
export function RuleConditionsSummary({ rule }: { rule: Summarized }) {
  const parts: string[] = [];
  if (rule.connection) parts.push(`connection ${rule.connection}`);
  if (rule.emailDomain) parts.push(`email @${rule.emailDomain}`);
  if (rule.requireVerifiedEmail) parts.push('verified email');
  if (parts.length === 0) return <span className="text-muted-foreground">Everyone</span>;
  return <span>{parts.join(' · ')}</span>;
}

/** "Joins Acme Corp as employee" and the roles, each marked global or in the org. */
export function RuleEffectSummary({ rule }: { rule: Summarized }) {
  if (!rule.org && rule.roles.length === 0) return <span className="text-muted-foreground">Nothing</span>;
  return (
    <span className="flex flex-wrap items-center gap-1.5">
      {rule.org && rule.tier && (
        <span>
          Joins {rule.org.name} as {TIER_LABELS[rule.tier].toLowerCase()}
          {rule.roles.length > 0 ? ';' : ''}
        </span>
      )}
      {rule.roles.map((r) => (
        <Badge key={r.id} variant="outline">
          {r.name}
          <span className="font-normal text-muted-foreground"> {r.global ? '(global)' : `(in ${rule.org?.name ?? 'its org'})`}</span>
        </Badge>
      ))}
    </span>
  );
}
