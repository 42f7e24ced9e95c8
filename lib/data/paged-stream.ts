/**
 * A list exported page by page as text (CSV, JSON Lines): the server never holds more than one page. The first page
 * is read before the stream is returned, so a refusal (an unknown filter, no power) is answered as an error response,
 * not as a connection reset after a 200's headers have gone out. `render` turns a page into text (`first` is true
 * once, for a header).
 */
export async function pagedTextStream<P extends { nextCursor?: string | null }>(
  fetchPage: (cursor: string | undefined) => Promise<P>,
  render: (page: P, first: boolean) => string,
): Promise<ReadableStream<Uint8Array>> {
  const enc = new TextEncoder();
  let pending: P | undefined = await fetchPage(undefined);
  let cursor: string | undefined;
  let first = true;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) {
        controller.close();
        return;
      }
      const page = pending ?? (await fetchPage(cursor));
      pending = undefined;
      const out = render(page, first);
      first = false;
      if (out) controller.enqueue(enc.encode(out));
      cursor = page.nextCursor ?? undefined;
      if (!cursor) done = true;
    },
  });
}
