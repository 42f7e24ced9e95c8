import type { Metadata } from 'next';
import { KeyRound } from 'lucide-react';
import { CreateApiKeyForm } from '@/components/api-keys/create-api-key-form';
import { RevokeApiKeyButton } from '@/components/api-keys/revoke-api-key-button';
import { formatDateTime } from '@/components/common/format';
import { pageHref } from '@/components/common/page-links';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { pagePlatform } from '@/lib/authz/page';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listApiKeys } from '@/lib/data/api-keys';
import { PageCursor } from '@/lib/schemas/org';
import { createApiKey, revokeApiKey } from './actions';

export const metadata: Metadata = { title: 'API keys' };

export default async function ApiKeysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY['api-keys']);
  const cursor = PageCursor.catch(undefined).parse((await searchParams).cursor);
  const page = await listApiKeys(ctx, { cursor });
  return (
    <div className="space-y-6">
      <PageHeader
        title="API keys"
        description="Keys for the decision API: the Auth0 Actions and your backends send one as “Authorization: Bearer …”. A key is shown once; Gatehouse keeps only its hash."
      />
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Create a key</h2>
          </CardTitle>
        </CardHeader>
        <CardContent>
          <CreateApiKeyForm action={createApiKey} />
        </CardContent>
      </Card>
      {page.items.length === 0 ? (
        <EmptyState icon={<KeyRound aria-hidden className="size-6" />} title="No API keys yet" description="Create one for each Action or backend that asks Gatehouse." />
      ) : (
        <Table aria-label="API keys">
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Name</TableHead>
              <TableHead scope="col">Key</TableHead>
              <TableHead scope="col">Scopes</TableHead>
              <TableHead scope="col">Status</TableHead>
              <TableHead scope="col">Last used</TableHead>
              <TableHead scope="col">Expires</TableHead>
              <TableHead scope="col">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {page.items.map((k) => (
              <TableRow key={k.id}>
                <TableCell className="font-medium">
                  {k.name}
                  <span className="block text-xs text-muted-foreground">by {k.createdBy ?? 'someone removed'} · {formatDateTime(k.createdAt)}</span>
                </TableCell>
                <TableCell>
                  <code className="text-xs">gh_{k.prefix}_…</code>
                </TableCell>
                <TableCell className="text-xs">{k.scopes.join(', ')}</TableCell>
                <TableCell>
                  <Badge variant={k.status === 'active' ? 'success' : 'outline'}>{k.status}</Badge>
                </TableCell>
                <TableCell className="tabular-nums">{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'never'}</TableCell>
                <TableCell className="tabular-nums">{k.expiresAt ? formatDateTime(k.expiresAt) : 'never'}</TableCell>
                <TableCell className="text-right">{k.status === 'active' && <RevokeApiKeyButton apiKeyId={k.id} name={k.name} action={revokeApiKey} />}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Pagination
        prevHref={cursor ? '/platform/api-keys' : undefined}
        prevLabel="First page"
        nextHref={page.nextCursor ? pageHref('/platform/api-keys', { cursor: page.nextCursor }) : undefined}
      />
    </div>
  );
}
