import type { Metadata } from 'next';
import { KeyRound } from 'lucide-react';
import { CreateApiKeyForm } from '@/components/api-keys/create-api-key-form';
import { formatDateTime } from '@/components/common/format';
import { ConfirmAction } from '@/components/forms/confirm-action';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import type { DataTableColumn } from '@/components/ui/data-table';
import { ListPage } from '@/components/ui/list-page';
import { pagePlatform } from '@/lib/authz/page';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listApiKeys } from '@/lib/data/api-keys';
import { parseListParams, type ListItem } from '@/lib/list-params';
import { createApiKey, revokeApiKey } from './actions';

export const metadata: Metadata = { title: 'API keys' };

type Key = ListItem<typeof listApiKeys>;

const columns: DataTableColumn<Key>[] = [
  {
    id: 'name',
    header: 'Name',
    className: 'font-medium',
    cell: (k) => (
      <>
        {k.name}
        <span className="block text-xs text-muted-foreground">
          by {k.createdBy ?? 'someone removed'} · {formatDateTime(k.createdAt)}
        </span>
      </>
    ),
  },
  { id: 'key', header: 'Key', cell: (k) => <code className="text-xs">gh_{k.prefix}_…</code> },
  { id: 'scopes', header: 'Scopes', className: 'text-xs', cell: (k) => k.scopes.join(', ') },
  { id: 'status', header: 'Status', cell: (k) => <Badge variant={k.status === 'active' ? 'success' : 'outline'}>{k.status}</Badge> },
  { id: 'last-used', header: 'Last used', className: 'tabular-nums', cell: (k) => (k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'never') },
  { id: 'expires', header: 'Expires', className: 'tabular-nums', cell: (k) => (k.expiresAt ? formatDateTime(k.expiresAt) : 'never') },
];

function KeyActions({ k }: { k: Key }) {
  if (k.status !== 'active') return null;
  return (
    <ConfirmAction
      action={revokeApiKey}
      input={{ apiKeyId: k.id }}
      label="Revoke"
      ariaLabel={`Revoke key ${k.name}`}
      size="sm"
      title={`Revoke “${k.name}”?`}
      description="Every request with this key is refused within a second. Whatever uses it needs a new key."
      confirmLabel="Revoke key"
      done={`Revoked “${k.name}”`}
    />
  );
}

export default async function ApiKeysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY['api-keys']);
  const params = parseListParams(await searchParams);
  const page = await listApiKeys(ctx, { cursor: params.cursor });
  return (
    <ListPage
      title="API keys"
      description="Keys for the decision API: the Auth0 Actions and your backends send one as “Authorization: Bearer …”. A key is shown once; Gatehouse keeps only its hash."
      before={
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
      }
      base="/platform/api-keys"
      params={params}
      page={page}
      caption="API keys"
      columns={columns}
      getRowId={(k) => k.id}
      rowActions={(k) => <KeyActions k={k} />}
      empty={{
        icon: <KeyRound aria-hidden className="size-6" />,
        title: 'No API keys yet',
        description: 'Create one for each Action or backend that asks Gatehouse.',
      }}
    />
  );
}
