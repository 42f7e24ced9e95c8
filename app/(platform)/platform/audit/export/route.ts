import { getOnly, platformRoute } from '@/lib/actions/define-route';
import { attachmentDisposition } from '@/lib/content-disposition';
import { listPlatformAuditEvents } from '@/lib/data/audit-events';
import { auditExportHeaders, auditExportStream } from '@/lib/data/audit-export';
import { auditFiltersFrom, ExportFormat } from '@/lib/schemas/audit';

/** The global audit log for the current filter, as CSV or JSON Lines (`?format=jsonl`), every page, streamed. */
export const GET = platformRoute('audit/export', async (req, ctx) => {
  const url = new URL(req.url);
  const { cursor: _c, ...filters } = auditFiltersFrom(url.searchParams);
  const format = ExportFormat.parse(url.searchParams.get('format') ?? undefined);
  const stream = await auditExportStream(format, (page) => listPlatformAuditEvents(ctx, { ...filters, ...page }));
  return new Response(stream, { headers: auditExportHeaders(format, attachmentDisposition(['audit', filters.org ?? 'all'], format)) });
});

export const { POST, PUT, PATCH, DELETE } = getOnly();
