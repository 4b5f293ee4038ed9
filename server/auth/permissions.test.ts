// The RBAC matrix's invariants (the matrix itself is server/isomorphic/auth/permissions.ts).
import { describe, expect, it } from "vitest";
import { PERMISSION_MATRIX, PLATFORM_PERMISSIONS, ROLES, TENANT_PERMISSIONS, can } from "../isomorphic/auth/permissions";
import { appRouter } from "../api/root";
import type { ProcedureMeta } from "../api/trpc";

describe("permission matrix", () => {
  it("security admins hold every permission", () => {
    for (const p of [...TENANT_PERMISSIONS, ...PLATFORM_PERMISSIONS]) expect(can("security_admin", p)).toBe(true);
  });

  it("only security admins hold platform permissions", () => {
    for (const role of ROLES.filter((r) => r !== "security_admin")) {
      for (const p of PLATFORM_PERMISSIONS) expect({ role, p, ok: can(role, p) }).toEqual({ role, p, ok: false });
    }
  });

  it("support is read-only: no manage, pause or delete permission", () => {
    expect(PERMISSION_MATRIX.support.filter((p) => /\.(manage|delete|pause)$/.test(p))).toEqual([]);
    expect(can("support", "audit.read")).toBe(true);
  });

  it("every permission a procedure requires exists in the matrix", () => {
    const all = new Set<string>([...TENANT_PERMISSIONS, ...PLATFORM_PERMISSIONS]);
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: ProcedureMeta } }>;
    for (const [path, proc] of Object.entries(procedures)) {
      const perm = proc._def.meta?.permission;
      if (perm) expect({ path, known: all.has(perm) }).toEqual({ path, known: true });
    }
  });
});
