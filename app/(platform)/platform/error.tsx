'use client';

import { ErrorPanel, type ErrorBoundaryProps } from '@/components/shell/error-panel';

/** A page that failed inside the shell: the navigation stays, and a database outage retries by itself. */
export default function SegmentError(props: ErrorBoundaryProps) {
  return <ErrorPanel {...props} />;
}
