import * as z from 'zod';
import { ROLES } from '../../auth/roles';

export const Uuid = z.uuid();
/** Slugs are how people and webhooks name agents and workflows: lowercase, digits, dashes. */
export const Slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase letters, digits and single dashes');
/** `{id}` in a path accepts a uuid or, for agents and workflows, a slug. */
export const IdOrSlug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9-]+$/, 'a uuid or a slug');
export const IdParams = z.object({ id: Uuid });
export const IdOrSlugParams = z.object({ id: IdOrSlug });

export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().optional() });
}

export const Empty = z.object({}).strict();
