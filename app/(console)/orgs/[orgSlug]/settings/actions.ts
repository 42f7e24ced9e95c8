'use server';

import { revalidatePath } from 'next/cache';
import { orgAction } from '@/lib/actions/define-action';
import { updateOrgSettings } from '@/lib/data/orgs';
import { UpdateOrgSettingsInput } from '@/lib/schemas/org';

export const saveOrgSettings = orgAction(
  'saveOrgSettings',
  { input: UpdateOrgSettingsInput },
  async ({ input, ctx }) => {
    const saved = await updateOrgSettings(ctx, input);
    revalidatePath(`/orgs/${ctx.org.slug}`, 'layout');
    return saved;
  },
);
