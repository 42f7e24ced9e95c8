'use server';

import { revalidatePath } from 'next/cache';
import { platformAction } from '@/lib/actions/define-action';
import * as rules from '@/lib/data/rules';
import { CreateRuleInput, MoveRuleInput, RuleIdInput, UpdateRuleInput } from '@/lib/schemas/rules';

const RULES = '/platform/rules';

export const createRule = platformAction('createRule', { input: CreateRuleInput }, async ({ input, ctx }) => {
  const result = await rules.createRule(ctx, input);
  revalidatePath(RULES, 'layout');
  return result;
});

export const updateRule = platformAction('updateRule', { input: UpdateRuleInput }, async ({ input, ctx }) => {
  const result = await rules.updateRule(ctx, input);
  revalidatePath(RULES, 'layout');
  return result;
});

export const deleteRule = platformAction('deleteRule', { input: RuleIdInput }, async ({ input, ctx }) => {
  const result = await rules.deleteRule(ctx, input);
  revalidatePath(RULES, 'layout');
  return result;
});

export const moveRule = platformAction('moveRule', { input: MoveRuleInput }, async ({ input, ctx }) => {
  const result = await rules.moveRule(ctx, input);
  revalidatePath(RULES, 'layout');
  return result;
});

/** Applies a rule to existing users; memberships and roles change, so the whole console is revalidated. */
export const backfillRule = platformAction('backfillRule', { input: RuleIdInput }, async ({ input, ctx }) => {
  const result = await rules.backfillRule(ctx, input);
  revalidatePath('/', 'layout');
  return result;
});
