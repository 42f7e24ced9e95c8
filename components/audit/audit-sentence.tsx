import Link from 'next/link';
import { auditSentence, type AuditEventForSentence, type AuditRef } from '@/lib/audit-sentences';

/** Where a person or thing named in an audit sentence may be opened by this viewer, or null (plain text). */
export type AuditHrefFor = (ref: AuditRef) => string | null;

/** The platform's links: every person, org and catalog thing has a detail page there. */
export const platformAuditHref: AuditHrefFor = (ref) => {
  if (!ref.id) return null;
  const base: Partial<Record<AuditRef['kind'], string>> = {
    user: '/platform/users',
    org: '/platform/orgs',
    role: '/platform/roles',
    api: '/platform/apis',
    application: '/platform/applications',
    rule: '/platform/rules',
    client: '/platform/clients',
  };
  return base[ref.kind] ? `${base[ref.kind]}/${encodeURIComponent(ref.id)}` : null;
};

/** An audit event as a sentence, with the people and things it names as links where the viewer may open them. */
export function AuditSentence({ event, hrefFor }: { event: AuditEventForSentence; hrefFor: AuditHrefFor }) {
  // Text and links, no wrapper: the caller's element holds them.
  return auditSentence(event).map((part, i) => {
    if (typeof part === 'string') return part; // text needs no element, nor a key
    const href = hrefFor(part);
    return href ? (
      <Link key={i} href={href} className="named-link">
        {part.label}
      </Link>
    ) : (
      <span key={i} className="font-medium">
        {part.label}
      </span>
    );
  });
}
