import type { ReactNode } from 'react';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from './card';

/**
 * The card at the end of a detail page that holds its delete (or another change that cannot be undone): red-edged,
 * titled with what it does, saying what it affects, with the confirming button inside.
 */
export function DangerZone({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <Card className="max-w-2xl border-destructive/40">
      <CardHeader>
        <CardTitle>
          <h2>{title}</h2>
        </CardTitle>
        {description && <CardDescription>{description}</CardDescription>}
      </CardHeader>
      <CardContent>{children}</CardContent>
    </Card>
  );
}
