/** Tenant roles, highest first: the one definition that contracts, tokens and routes use. */
export const ROLES = ['owner', 'admin', 'dev', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
/** What a route requires: a role, or nothing at all (`public`). */
export type Access = 'public' | Role;

const RANK: Record<Role, number> = { viewer: 1, dev: 2, admin: 3, owner: 4 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether `role` meets the route's required access; roles are ordered owner > admin > dev > viewer. */
export function roleAllows(role: Role, required: Access): boolean {
  return required === 'public' || RANK[role] >= RANK[required];
}

/** Whether `actor` may grant `target` (nobody hands out more than they hold). */
export function canGrant(actor: Role, target: Role): boolean {
  return RANK[actor] >= RANK[target];
}

/** The lower of two roles (an API key acts with at most its owner's current role). */
export function atMost(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b;
}
