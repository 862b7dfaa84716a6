import type { Role } from '../api/types';

const RANK: Record<Role, number> = { viewer: 0, dev: 1, admin: 2, owner: 3 };

/** owner > admin > dev > viewer: does `role` include the rights of `min`? */
export function atLeast(role: Role | null | undefined, min: Role): boolean {
  return role != null && RANK[role] >= RANK[min];
}
