'use client';

import { ErrorPanel, type ErrorBoundaryProps } from '@/components/shell/error-panel';

/** Errors above any shell (a layout failed): the whole page; a database outage retries by itself. */
export default function ErrorPage(props: ErrorBoundaryProps) {
  return <ErrorPanel {...props} fullPage />;
}
