// Request schemas (zod 4). Unknown activity types and units pass validation on purpose: they
// fail their own activity during processing, not the whole submission.
import { z } from 'zod';
import { BATCH_STATES } from '../domain/states.ts';
import { quantityLimit } from '../factors/limits.ts';

// PostgreSQL text cannot hold U+0000: refused here (400) instead of failing the insert (500).
const NO_NUL = [(value: string) => !value.includes('\u0000'), 'must not contain NUL (U+0000)'] as const;
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max)
    .refine(...NO_NUL);

/** 1e9 → "1e+9", 264172052.358 → "264172052.358": the bound as a client can compare it. */
function formatBound(value: number): string {
  return value >= 1e12 ? value.toExponential() : String(Math.round(value * 1000) / 1000);
}

const identifier = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'must be 1-64 letters, digits, "_", ".", ":" or "-", starting with a letter or digit');

export const activitySchema = z.object({
  id: text(128),
  type: text(64),
  quantity: z.number().nonnegative('must be zero or more'),
  unit: text(32),
  region: z
    .string()
    .trim()
    .min(1)
    .max(16)
    .refine(...NO_NUL)
    .optional(),
});

export const MAX_ACTIVITIES = 10_000;

export const submitBatchSchema = z
  .object({
    org_id: identifier,
    workspace_id: identifier.optional(),
    activities: z.array(activitySchema).min(1, 'must hold at least one activity').max(MAX_ACTIVITIES),
  })
  .superRefine((batch, context) => {
    const seen = new Set<string>();
    batch.activities.forEach((activity, index) => {
      if (seen.has(activity.id)) {
        context.addIssue({ code: 'custom', path: ['activities', index, 'id'], message: `duplicate activity id "${activity.id}"` });
      }
      seen.add(activity.id);
      const limit = quantityLimit(activity.type, activity.unit);
      if (activity.quantity > limit.max) {
        const canonical = limit.canonicalUnit ? ` (1e9 ${limit.canonicalUnit})` : '';
        context.addIssue({
          code: 'custom',
          path: ['activities', index, 'quantity'],
          message: `must be at most ${formatBound(limit.max)} ${activity.unit}${canonical}`,
        });
      }
    });
  });

export type SubmitBatchBody = z.infer<typeof submitBatchSchema>;

export const listBatchesQuery = z.object({
  org_id: identifier.optional(),
  workspace_id: identifier.optional(),
  status: z.enum(BATCH_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
