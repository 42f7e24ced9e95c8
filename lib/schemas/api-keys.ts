import { z } from 'zod';
import { API_KEY_SCOPES } from '@/lib/access/api-key-scopes';
import { nameText } from './text';

export const CreateApiKeyInput = z.object({
  name: nameText({ max: 100, minMessage: 'Name the key after what uses it.' }),
  scopes: z.array(z.enum(API_KEY_SCOPES, { error: 'Unknown scope.' })).min(1, 'Choose at least one scope.').max(API_KEY_SCOPES.length),
  /** Days until it expires; empty for never. */
  expiresInDays: z.coerce
    .number({ error: 'Enter a number of days.' })
    .int('Use whole days.')
    .min(1, 'At least 1 day.')
    .max(3650, 'At most 3650 days.')
    .optional(),
});
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;

export const RevokeApiKeyInput = z.object({ apiKeyId: z.string().uuid('That key does not exist.') });
