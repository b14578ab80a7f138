// Owns what each API key role may do: the one permission table. Every route names the permission
// it needs (lib/http/routes.ts, ROUTE_PERMISSIONS) and the authorize middleware asks this table.
// Pure: no route, no key, no I/O here. Modelled on restricted keys (Stripe) and maker-checker
// approvals (Modern Treasury): whoever pays is not who approves, and a read-only key writes nothing.

export const API_KEY_ROLES = ["admin", "payer", "approver", "read_only"] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/**
 * What a call does:
 *   read     GET anything except key and policy settings
 *   pay      create and move money: accounts, top-ups, payments, batches (and cancel), refunds, holds, FX quotes
 *   approve  approve or reject a batch that requires approval, or a payment a review rule parked
 *   manage   API keys, the approval policy, risk rules, webhook endpoints and event redelivery
 */
export const PERMISSIONS = ["read", "pay", "approve", "manage"] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Readonly<Record<ApiKeyRole, readonly Permission[]>> = {
  admin: ["read", "pay", "approve", "manage"],
  payer: ["read", "pay"],
  approver: ["read", "approve"],
  read_only: ["read"],
};

/** Keys issued before roles existed, and keys created without one, are admin keys: nothing breaks. */
export const DEFAULT_ROLE: ApiKeyRole = "admin";

export function roleAllows(role: ApiKeyRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** The roles that hold `permission`, for the message of a refused call. */
export function rolesAllowing(permission: Permission): ApiKeyRole[] {
  return API_KEY_ROLES.filter((role) => roleAllows(role, permission));
}

/** A stored role, or the default for a record without one (or with one this version does not know). */
export function roleOf(stored: unknown): ApiKeyRole {
  return (API_KEY_ROLES as readonly unknown[]).includes(stored) ? (stored as ApiKeyRole) : DEFAULT_ROLE;
}
