import { ExternalLink } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { MyApplicationDto } from '@/lib/data/reach';
import { APP_TYPE_LABELS } from '@/lib/vocabulary';

/** A member's "Your applications": what they can reach in this org and why, and what would let them into the rest. */
export function YourApplications({ orgName, apps }: { orgName: string; apps: MyApplicationDto[] }) {
  const reachable = apps.filter((a) => a.allow);
  const unreachable = apps.filter((a) => !a.allow);
  return (
    <section aria-labelledby="your-applications">
      <Card>
        <CardHeader>
          <CardTitle>
            <h2 id="your-applications">Your applications</h2>
          </CardTitle>
          <CardDescription>
            What you can reach while working in {orgName}, and why — the same answer the applications get when they ask Gatehouse.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-6">
          <div className="space-y-2">
            <h3 className="text-sm font-semibold">You can reach ({reachable.length})</h3>
            {reachable.length === 0 ? (
              <p className="text-sm text-muted-foreground">No application lets you in here yet.</p>
            ) : (
              <ul className="divide-y rounded-md border" aria-label="Applications you can reach">
                {reachable.map((a) => (
                  <li key={a.id} className="flex flex-wrap items-start justify-between gap-2 p-3" data-app-id={a.id} data-allow="true">
                    <div className="min-w-0">
                      <p className="break-words font-medium">
                        {a.name} <Badge variant="outline">{APP_TYPE_LABELS[a.type]}</Badge>
                      </p>
                      <p className="text-sm text-muted-foreground">{a.reason}</p>
                    </div>
                    {a.url && (
                      <a
                        href={a.url}
                        target="_blank"
                        rel="noopener noreferrer"
                        className="inline-flex items-center gap-1 text-sm font-medium underline-offset-4 hover:underline"
                      >
                        Open {a.name}
                        <ExternalLink aria-hidden className="size-3.5" />
                        <span className="sr-only"> (opens in a new tab)</span>
                      </a>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className="space-y-2">
            <h3 className="text-sm font-semibold">You cannot reach ({unreachable.length})</h3>
            {unreachable.length === 0 ? (
              <p className="text-sm text-muted-foreground">None: you can reach every application.</p>
            ) : (
              <ul className="divide-y rounded-md border" aria-label="Applications you cannot reach">
                {unreachable.map((a) => (
                  <li key={a.id} className="space-y-1 p-3" data-app-id={a.id} data-allow="false">
                    <p className="break-words font-medium">
                      {a.name} <Badge variant="outline">{APP_TYPE_LABELS[a.type]}</Badge>
                    </p>
                    <p className="text-sm text-muted-foreground">{a.reason}</p>
                    <p className="text-sm">
                      {a.wouldGrant.length > 0
                        ? `Ask an admin for ${a.wouldGrant.length === 1 ? 'the role' : 'one of the roles'}: ${a.wouldGrant.join(', ')}.`
                        : 'No role grants it yet; a platform operator must map one.'}
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </CardContent>
      </Card>
    </section>
  );
}
