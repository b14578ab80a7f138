import { describe, expect, it } from "vitest";
import {
  API_KEY_ROLES,
  PERMISSIONS,
  roleAllows,
  roleOf,
  rolesAllowing,
} from "../../../lib/domain/permissions.js";
import { ROUTE_PERMISSIONS, ROUTES } from "../../../lib/http/routes.js";

describe("API key roles", () => {
  it("grants exactly this table: admin everything, payer pays, approver approves, read_only reads", () => {
    const table = Object.fromEntries(
      API_KEY_ROLES.map((role) => [role, PERMISSIONS.filter((permission) => roleAllows(role, permission))]),
    );
    expect(table).toEqual({
      admin: ["read", "pay", "approve", "manage"],
      payer: ["read", "pay"],
      approver: ["read", "approve"],
      read_only: ["read"],
    });
  });

  it("names the roles that hold a permission, for the 403 message", () => {
    expect(rolesAllowing("pay")).toEqual(["admin", "payer"]);
    expect(rolesAllowing("approve")).toEqual(["admin", "approver"]);
    expect(rolesAllowing("manage")).toEqual(["admin"]);
    expect(rolesAllowing("read")).toEqual(["admin", "payer", "approver", "read_only"]);
  });

  it("treats a key stored without a role (or with one it does not know) as admin", () => {
    expect(roleOf(undefined)).toBe("admin");
    expect(roleOf("superuser")).toBe("admin");
    expect(roleOf("read_only")).toBe("read_only");
    expect(roleOf("approver")).toBe("approver");
  });
});

describe("route permissions", () => {
  it("gives every route in the route table a permission", () => {
    expect(Object.keys(ROUTE_PERMISSIONS).sort()).toEqual([...ROUTES].sort());
  });

  it("needs more than read for every POST and DELETE, so a read_only key writes nothing", () => {
    const writes = ROUTES.filter((route) => /^(POST|DELETE) /.test(route));
    expect(writes.length).toBeGreaterThan(20);
    for (const route of writes) {
      const permission = ROUTE_PERMISSIONS[route];
      expect(permission, route).not.toBe("read");
      expect(permission, route).not.toBe("public");
      if (permission !== "public") expect(roleAllows("read_only", permission), route).toBe(false);
    }
  });

  it("lets approve and reject be called by approvers and admins only, and money move by payers and admins only", () => {
    expect(ROUTE_PERMISSIONS["POST /v1/batches/{id}/approve"]).toBe("approve");
    expect(ROUTE_PERMISSIONS["POST /v1/batches/{id}/reject"]).toBe("approve");
    for (const route of [
      "POST /v1/payments",
      "POST /v1/batches",
      "POST /v1/refunds",
      "POST /v1/holds",
    ] as const)
      expect(ROUTE_PERMISSIONS[route]).toBe("pay");
    for (const route of ["GET /v1/api_keys", "POST /v1/api_keys", "GET /v1/approval_policy"] as const)
      expect(ROUTE_PERMISSIONS[route]).toBe("manage");
  });

  it("takes no key only on the OpenAPI document and ping", () => {
    expect(ROUTES.filter((route) => ROUTE_PERMISSIONS[route] === "public")).toEqual([
      "GET /v1/openapi.json",
      "GET /v1/ping",
    ]);
  });
});
