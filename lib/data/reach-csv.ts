import 'server-only';
import type { PlatformContext } from '@/lib/authz/types';
import { AppError } from '@/lib/errors';
import { csvCell } from './matrix-csv';
import { listReachableApplicationIds, listWhoCanReach } from './reach';

/** RFC 4180: records end with CRLF; cells are quoted when needed and never start a formula (csvCell). */
export const REACH_CSV_HEADER = ['application', 'organization', 'org_slug', 'email', 'name', 'tier', 'reason'] as const;

function record(cells: readonly string[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

/**
 * "Who can reach this" as CSV, streamed page by page (one page in memory at a time): one application when `applicationId`
 * is given (NOT_FOUND when it is not a known application), else every application in turn. `orgSlug` narrows to one org.
 */
export async function reachCsvStream(
  ctx: PlatformContext,
  params: { applicationId?: string; orgSlug?: string },
): Promise<ReadableStream<Uint8Array>> {
  const enc = new TextEncoder();
  const apps = await listReachableApplicationIds(ctx);
  const chosen = params.applicationId ? apps.filter((a) => a.id === params.applicationId) : apps;
  if (params.applicationId && chosen.length === 0) throw new AppError('NOT_FOUND', 'That application does not exist.');
  let appIndex = 0;
  let cursor: string | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(enc.encode(record(REACH_CSV_HEADER)));
        return;
      }
      const app = chosen[appIndex];
      if (!app) {
        controller.close();
        return;
      }
      const page = await listWhoCanReach(ctx, app.id, { orgSlug: params.orgSlug, cursor, limit: 200 });
      let out = '';
      for (const r of page?.items ?? []) out += record([app.name, r.orgName, r.orgSlug, r.email, r.name ?? '', r.tier, r.reason]);
      if (out) controller.enqueue(enc.encode(out));
      cursor = page?.nextCursor ?? undefined;
      if (!cursor) appIndex += 1;
    },
  });
}
