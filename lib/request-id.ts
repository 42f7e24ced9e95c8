import { randomUUID } from 'node:crypto';
import { headers } from 'next/headers';

export const REQUEST_ID_HEADER = 'x-request-id';

/** The request id the proxy stamped on this request (or a fresh one outside a request). */
export async function getRequestId(): Promise<string> {
  try {
    const h = await headers();
    const id = h.get(REQUEST_ID_HEADER);
    if (id && /^[A-Za-z0-9-]{8,64}$/.test(id)) return id;
  } catch {
    // Outside a request scope (scripts, tests): fall through.
  }
  return randomUUID();
}
