'use server';

import { revalidatePath } from 'next/cache';
import { platformAction } from '@/lib/actions/define-action';
import * as rules from '@/lib/data/rules';
import { CreateRuleInput, MoveRuleInput, RuleIdInput, RulePreviewInput, UpdateRuleInput } from '@/lib/schemas/rules';

const RULES = '/platform/rules';

export const createRule = platformAction('createRule', { input: CreateRuleInput }, async ({ input, ctx }) => {
  const result = await rules.createRule(ctx, input);
  revalidatePath(RULES, 'layout');
  return result;
});

/**
 * Saves a rule. When the save enables it, the answer carries how many existing users it matches (the dry run's
 * count), so the screen can offer the backfill: enabling changes only future first sign-ins.
 */
export const updateRule = platformAction('updateRule', { input: UpdateRuleInput }, async ({ input, ctx }) => {
  const result = await rules.updateRule(ctx, input);
  revalidatePath(RULES, 'layout');
  const matching = input.enabled === true ? (await rules.dryRunRule(ctx, { ruleId: result.id }, { limit: 1 })).count : null;
  return { ...result, matching };
});

/** The live "this would match N users" of the rule form: the dry run's count for draft conditions, nothing saved. */
export const previewRuleMatches = platformAction('previewRuleMatches', { input: RulePreviewInput }, async ({ input, ctx }) => {
  const { count } = await rules.dryRunRule(ctx, { conditions: input }, { limit: 1 });
  return { count };
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
