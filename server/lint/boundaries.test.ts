// Each architecture boundary of eslint.config.mjs fails a deliberate violation and lets the allowed
// import through — linted by the real config at virtual paths (no file is written, no database used).
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");
const eslint = new ESLint({ cwd: root });

/** The architecture rules that fire on `code` as if it were the file at `file` (repo-relative). */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  if (!result) throw new Error(`no lint result for ${file}`);
  const ignored = result.messages.find((m) => m.message.startsWith("File ignored"));
  if (ignored) throw new Error(`${file} is ignored by the lint config`);
  const fatal = result.messages.find((m) => m.fatal);
  if (fatal) throw new Error(`${file}: ${fatal.message}`);
  return result.messages.map((m) => m.ruleId ?? "").filter((id) => id.startsWith("architecture/"));
}

const use = (...names: string[]) => `\nexport const used = [${names.join(", ")}];\n`;

describe("architecture boundaries (eslint.config.mjs)", () => {
  describe("Prisma only in server/db/ and repositories", () => {
    const rule = "architecture/prisma-in-repositories";
    it.each([
      ["the generated client, relative", "server/members/service.ts", `import { PrismaClient } from "../db/generated/client";`],
      ["the generated client's types", "server/members/service.ts", `import type { Prisma } from "@/server/db/generated/client";`],
      ["the database client", "server/policies/workspaces.ts", `import { prismaClient } from "../db/client";`],
      ["@prisma/client", "app/t/[tenant]/page.tsx", `import { Prisma } from "@prisma/client";`],
    ])("refuses %s in %s", async (_what, file, code) => {
      expect(await boundaryErrors(file, code + use("1"))).toContain(rule);
    });
    it.each([
      ["a repository", "server/members/repository.ts"],
      ["a *-repository module", "server/tenants/platform-repository.ts"],
      ["the database layer", "server/db/seed.ts"],
    ])("allows %s", async (_what, file) => {
      expect(await boundaryErrors(file, `import type { Prisma } from "../db/generated/client";` + use("1"))).not.toContain(rule);
    });
    it("lets a service reach the database through the doors", async () => {
      expect(await boundaryErrors("server/members/service.ts", `import { enterTenant } from "../db/doors";` + use("enterTenant"))).toEqual([]);
    });
  });

  describe("onPlatform only in platform modules, tenancy, jobs, db and the CLI", () => {
    const rule = "architecture/on-platform-in-platform-modules";
    const code = `import { onPlatform } from "../db/doors";` + use("onPlatform");
    it("refuses a service", async () => {
      expect(await boundaryErrors("server/members/service.ts", code)).toContain(rule);
    });
    it.each(["server/members/platform.ts", "server/tenants/platform-repository.ts", "server/tenancy/context.ts", "server/jobs/queue.ts", "server/cli/seed.ts"])(
      "allows %s",
      async (file) => {
        expect(await boundaryErrors(file, code)).not.toContain(rule);
      },
    );
    it("lets a service use the tenant door", async () => {
      expect(await boundaryErrors("server/members/service.ts", `import { enterTenant } from "../db/doors";` + use("enterTenant"))).not.toContain(rule);
    });
  });

  describe("TRPCError only in server/api/", () => {
    const rule = "architecture/trpc-error-in-api";
    const code = `import { TRPCError } from "@trpc/server";` + use("TRPCError");
    it.each(["server/members/service.ts", "app/t/[tenant]/members/page.tsx"])("refuses %s", async (file) => {
      expect(await boundaryErrors(file, code)).toContain(rule);
    });
    it("allows server/api/", async () => {
      expect(await boundaryErrors("server/api/routers/members.ts", code)).not.toContain(rule);
    });
    it("allows other imports from @trpc/server elsewhere", async () => {
      expect(await boundaryErrors("server/members/service.ts", `import { initTRPC } from "@trpc/server";` + use("initTRPC"))).not.toContain(rule);
    });
  });

  describe("app/ and components/ reach the server through entry points and server/isomorphic/", () => {
    const rule = "architecture/app-through-entry-points";
    it.each([
      ["a service", "app/t/[tenant]/members/page.tsx", `import { inviteMember } from "@/server/members/service";`],
      ["a repository, relative", "components/members/list.tsx", `import { listMembers } from "../../server/members/repository";`],
      ["the doors", "app/_lib/tenant.ts", `import { enterTenant } from "@/server/db/doors";`],
    ])("refuses %s", async (_what, file, code) => {
      expect(await boundaryErrors(file, code + use("1"))).toContain(rule);
    });
    it.each([
      ["the server caller", `import { serverCaller } from "@/server/api/server-caller";`],
      ["the auth entry", `import { auth } from "@/server/auth/auth";`],
      ["a route wrapper in server/http/", `import { readBodyLimited } from "@/server/http/body-limit";`],
      ["an isomorphic module", `import { ROLE_LABELS } from "@/server/isomorphic/auth/permissions";`],
      ["a type from a service", `import type { MemberView } from "@/server/members/service";`],
    ])("allows %s", async (_what, code) => {
      expect(await boundaryErrors("app/t/[tenant]/members/page.tsx", code + use("1"))).toEqual([]);
    });
  });

  describe("client components import only server/isomorphic/ (and types)", () => {
    const rule = "architecture/client-components-isomorphic-only";
    it("refuses a server entry point in a client component", async () => {
      const code = `"use client";\nimport { serverCaller } from "@/server/api/server-caller";` + use("serverCaller");
      expect(await boundaryErrors("app/t/[tenant]/members/invite-form.tsx", code)).toContain(rule);
    });
    it("allows the same import in a server component", async () => {
      const code = `import { serverCaller } from "@/server/api/server-caller";` + use("serverCaller");
      expect(await boundaryErrors("app/t/[tenant]/members/page.tsx", code)).not.toContain(rule);
    });
    it("allows isomorphic modules and types in a client component", async () => {
      const code = `"use client";\nimport { inviteMemberInput } from "@/server/isomorphic/accounts/inputs";\nimport type { AppRouter } from "@/server/api/root";\nexport type R = AppRouter;` + use("inviteMemberInput");
      expect(await boundaryErrors("components/members/invite-form.tsx", code)).toEqual([]);
    });
  });

  describe("server/isomorphic/ imports only itself and pure packages", () => {
    const rule = "architecture/isomorphic-is-self-contained";
    it.each([
      ["a server module", `import { env } from "../../env";`],
      ["a server type", `import type { Db } from "@/server/db/doors";`],
      ["a Node built-in", `import { createHash } from "node:crypto";`],
      ["server-only", `import "server-only";`],
    ])("refuses %s", async (_what, code) => {
      expect(await boundaryErrors("server/isomorphic/members/limits.ts", code + use("1"))).toContain(rule);
    });
    it("allows zod and other isomorphic modules", async () => {
      const code = `import { z } from "zod";\nimport { ROLES } from "../auth/permissions";\nimport { SLUG_RULE } from "@/server/isomorphic/tenancy/slug";` + use("z", "ROLES", "SLUG_RULE");
      expect(await boundaryErrors("server/isomorphic/members/limits.ts", code)).toEqual([]);
    });
  });
});
