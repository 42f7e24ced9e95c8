import type { Metadata } from 'next';
import { OrgClientsList } from '@/components/assignments/org-clients-list';
import { pageOrgContext } from '@/lib/authz/page';
import { ORG_PAGE_POLICY } from '@/lib/authz/surface';
import { listOrgClients } from '@/lib/data/clients';
import { parseListParams } from '@/lib/list-params';

export const metadata: Metadata = { title: 'M2M clients' };

export default async function ClientsPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { orgSlug } = await params;
  const ctx = await pageOrgContext(orgSlug, ORG_PAGE_POLICY.clients);
  const sp = await searchParams;
  const lists = { inOrg: parseListParams(sp), global: parseListParams(sp, { cursorParam: 'gcursor' }) };
  const [inOrg, global] = await Promise.all([
    listOrgClients(ctx, { scope: 'org', cursor: lists.inOrg.cursor }),
    listOrgClients(ctx, { scope: 'global', cursor: lists.global.cursor }),
  ]);
  return <OrgClientsList orgName={ctx.org.name} inOrg={inOrg} global={global} base={`/orgs/${ctx.org.slug}/clients`} params={lists} />;
}
