import { getOnly, orgRoute } from '@/lib/actions/define-route';
import { attachmentDisposition } from '@/lib/content-disposition';
import { listOrgAuditEvents } from '@/lib/data/audit-events';
import { auditExportHeaders, auditExportStream } from '@/lib/data/audit-export';
import { auditFiltersFrom, ExportFormat } from '@/lib/schemas/audit';

/** The org's audit log for the current filter, as CSV (all pages, streamed; the same scope as the page). */
export const GET = orgRoute('audit/export', async (req, ctx) => {
  const url = new URL(req.url);
  const { cursor: _c, org: _o, target: _t, ...filters } = auditFiltersFrom(url.searchParams);
  const format = ExportFormat.parse(url.searchParams.get('format') ?? undefined);
  const stream = await auditExportStream(format, (page) => listOrgAuditEvents(ctx, { ...filters, ...page }));
  return new Response(stream, { headers: auditExportHeaders(format, attachmentDisposition(['audit', ctx.org.slug], format)) });
});

export const { POST, PUT, PATCH, DELETE } = getOnly();
