import type { Access } from '../../infra/manifest';
import type { Role } from '../api/contracts/common';

const RANK: Record<Role, number> = { viewer: 1, dev: 2, admin: 3, owner: 4 };

/** Whether `role` meets the route's required access; roles are ordered owner > admin > dev > viewer. */
export function roleAllows(role: Role, required: Access): boolean {
  return required === 'public' || RANK[role] >= RANK[required];
}

/** Whether `actor` may grant `target` (nobody hands out more than they hold). */
export function canGrant(actor: Role, target: Role): boolean {
  return RANK[actor] >= RANK[target];
}
