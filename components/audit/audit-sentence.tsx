import { PlainLink } from '@/components/ui/plain-link';
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

/** A person or thing a sentence names, with the link this viewer may open (null: plain text). */
export interface LinkedRef {
  label: string;
  href: string | null;
}

export type LinkedSentence = (string | LinkedRef)[];

/** An event's sentence with each name resolved to its link for this viewer (plain data: it may go to the browser). */
export function linkedSentence(parts: ReturnType<typeof auditSentence>, hrefFor: AuditHrefFor): LinkedSentence {
  return parts.map((part) => (typeof part === 'string' ? part : { label: part.label, href: hrefFor(part) }));
}

/** A linked sentence as text and links, no wrapper (the caller's element holds them); the audit table and event page. */
export function SentenceLinks({ sentence }: { sentence: LinkedSentence }) {
  return sentence.map((part, i) =>
    typeof part === 'string' ? (
      part // text needs no element, nor a key
    ) : part.href ? (
      <PlainLink key={i} href={part.href} className="named-link">
        {part.label}
      </PlainLink>
    ) : (
      <span key={i} className="font-medium">
        {part.label}
      </span>
    ),
  );
}

/** An audit event as a sentence, with the people and things it names as links where the viewer may open them. */
export function AuditSentence({ event, hrefFor }: { event: AuditEventForSentence; hrefFor: AuditHrefFor }) {
  return <SentenceLinks sentence={linkedSentence(auditSentence(event), hrefFor)} />;
}
