import type { AuditDiffLine } from '@/lib/audit-sentences';

/**
 * The fields that changed, before and after, as a small table. Pure (no server-only imports): the event page renders
 * it on the server, the audit list's disclosure (audit-diff-disclosure.tsx) in the browser when it is opened.
 */
export function AuditDiffLines({ lines, caption }: { lines: AuditDiffLine[]; caption: string }) {
  if (lines.length === 0) return <p className="text-sm text-muted-foreground">No recorded values.</p>;
  return (
    <table className="w-full text-left text-xs">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr className="text-muted-foreground">
          <th scope="col" className="py-1 pr-3 font-medium">
            Field
          </th>
          <th scope="col" className="py-1 pr-3 font-medium">
            Before
          </th>
          <th scope="col" className="py-1 font-medium">
            After
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.path} className="border-t border-border align-top">
            <th scope="row" className="py-1 pr-3 font-mono font-normal">
              {l.path}
            </th>
            <td className="py-1 pr-3 break-all">
              {l.before === undefined ? <span className="text-muted-foreground">—</span> : <del className="decoration-destructive/60">{l.before}</del>}
            </td>
            <td className="py-1 break-all">
              {l.after === undefined ? <span className="text-muted-foreground">—</span> : <ins className="no-underline">{l.after}</ins>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
