// The architecture's import boundaries as ESLint rules (eslint.config.mjs decides WHERE each applies).
// Every rule resolves an import to the file it names, repo-relative ("@/x" and "./x" alike), so a
// relative path cannot slip past a rule written for the alias. Type-only imports load no code: the
// app/ and client-component rules let them through; the Prisma and isomorphic rules do not, since a
// Prisma type outside a repository or a server type inside the isomorphic folder is the leak itself.
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** What an import specifier names: a repo file (extension and "/index" dropped) or a package. */
function resolveSpecifier(specifier, filename) {
  let target;
  if (specifier.startsWith("@/")) target = specifier.slice(2);
  else if (specifier.startsWith("./") || specifier.startsWith("../")) {
    target = path.relative(ROOT, path.resolve(path.dirname(filename), specifier)).split(path.sep).join("/");
  } else return { kind: "package", name: specifier };
  target = target.replace(/\.(ts|tsx|mjs|js)$/, "").replace(/\/index$/, "");
  return { kind: "file", path: target };
}

function fileOf(context) {
  return path.relative(ROOT, context.filename).split(path.sep).join("/");
}

/** Static imports, re-exports and dynamic `import("…")` with a literal specifier. */
function onEachImport(context, check) {
  const visit = (node, source, typeOnly, names) => {
    if (!source || typeof source.value !== "string") return;
    check({ node: source, specifier: source.value, target: resolveSpecifier(source.value, context.filename), typeOnly, names });
  };
  return {
    ImportDeclaration(node) {
      const specifiers = node.specifiers ?? [];
      const typeOnly = node.importKind === "type" || (specifiers.length > 0 && specifiers.every((s) => s.importKind === "type"));
      const names = specifiers.filter((s) => s.type === "ImportSpecifier" && s.importKind !== "type").map((s) => s.imported.name ?? s.imported.value);
      visit(node, node.source, typeOnly, names);
    },
    ExportNamedDeclaration(node) {
      if (!node.source) return;
      const typeOnly = node.exportKind === "type" || (node.specifiers.length > 0 && node.specifiers.every((s) => s.exportKind === "type"));
      visit(node, node.source, typeOnly, node.specifiers.map((s) => s.local.name ?? s.local.value));
    },
    ExportAllDeclaration(node) {
      visit(node, node.source, node.exportKind === "type", []);
    },
    ImportExpression(node) {
      if (node.source.type === "Literal") visit(node, node.source, false, []);
    },
  };
}

const isServerFile = (t) => t.kind === "file" && (t.path === "server" || t.path.startsWith("server/"));
const isIsomorphic = (t) => t.kind === "file" && t.path.startsWith("server/isomorphic/");

function importRule(description, message, check) {
  return {
    meta: { type: "problem", docs: { description }, schema: [], messages: { boundary: message } },
    create(context) {
      const file = fileOf(context);
      const hasUseClient = () => {
        const first = context.sourceCode.ast.body[0];
        return first?.type === "ExpressionStatement" && first.directive === "use client";
      };
      return onEachImport(context, (imp) => {
        if (check({ ...imp, file, hasUseClient })) context.report({ node: imp.node, messageId: "boundary", data: { specifier: imp.specifier } });
      });
    },
  };
}

/**
 * Server modules that pages, layouts, server actions, route handlers and server components may import
 * (besides server/isomorphic/ and type-only imports): the entry points into the server, each a door
 * that carries its own checks. Anything else is reached through tRPC (server-caller) or moved to
 * server/isomorphic/ if it is pure.
 */
export const APP_SERVER_ENTRY_POINTS = [
  "server/api/server-caller", // tRPC procedures called from server components and server actions
  "server/api/root", // the router the tRPC server components prefetch through (components/trpc/server.tsx)
  "server/api/trpc", // the tRPC context factory, same caller
  "server/api/http", // the tRPC route handler
  "server/api/rest", // the REST (OpenAPI) route handler and its document
  "server/auth/auth", // Auth.js: session, sign-in, sign-out, its route handlers
  "server/auth/sso/start", // starting an SSO sign-in from the sign-in server action
  "server/auth/sso/route", // the SSO outcome wrapper around Auth.js's route handler
  "server/env", // deployment settings shown by server components (the SSO button)
  "server/http/", // route wrappers and HTTP helpers (body limits, public JSON, request metadata)
  "server/observability/request", // observedRoute, the wrapper of every route handler
  "server/observability/health", // /api/health and /api/ready
  "server/observability/metrics-endpoint", // /api/metrics
  "server/platform-keys", // /api/public/platform-keys
  "server/signing-keys/public-documents", // the public JWKS and discovery documents
  "server/clients/authorize-check", // the public authorize-check endpoint
  "server/audit/export/download", // the export download route
  "server/observability/tracing", // started by instrumentation.ts, Next's startup hook
];

const isEntryPoint = (t) => APP_SERVER_ENTRY_POINTS.some((e) => (e.endsWith("/") ? t.path.startsWith(e) : t.path === e));

const PRISMA_MODULES = (t) =>
  (t.kind === "package" && (t.name === "@prisma/client" || t.name.startsWith("@prisma/client/"))) ||
  (t.kind === "file" && (t.path === "server/db/client" || t.path === "server/db/generated" || t.path.startsWith("server/db/generated/")));

/** Packages the isomorphic folder may use: pure, and loadable by the browser. */
export const ISOMORPHIC_PACKAGES = ["zod"];

export const architecturePlugin = {
  meta: { name: "architecture" },
  rules: {
    "prisma-in-repositories": importRule(
      "Prisma is imported only by server/db/ and repository modules.",
      "'{{specifier}}' is Prisma: only server/db/ and repositories (repository.ts, *-repository.ts) import it — add a repository function.",
      ({ target }) => PRISMA_MODULES(target),
    ),
    "on-platform-in-platform-modules": importRule(
      "onPlatform (the RLS-free door) is used only by platform modules, tenancy, jobs, the database layer and the CLI.",
      "onPlatform from '{{specifier}}' is the platform door: use it only in a platform module (platform.ts, platform-*.ts, platform/), server/tenancy/, server/jobs/, server/db/ or server/cli/.",
      ({ names }) => names.includes("onPlatform"),
    ),
    "trpc-error-in-api": importRule(
      "TRPCError is thrown and caught only in server/api/.",
      "TRPCError from '{{specifier}}' belongs to server/api/: throw the domain's own errors and let the API layer map them.",
      ({ target, names }) => target.kind === "package" && target.name.startsWith("@trpc/server") && names.includes("TRPCError"),
    ),
    "app-through-entry-points": importRule(
      "app/ and components/ reach the server only through its entry points and the isomorphic folder.",
      "'{{specifier}}' is not a server entry point for app/ and components/: call it through tRPC, or move a pure module to server/isomorphic/ (entry points: server/lint/architecture-plugin.mjs).",
      ({ target, typeOnly }) => !typeOnly && isServerFile(target) && !isIsomorphic(target) && !isEntryPoint(target),
    ),
    "client-components-isomorphic-only": importRule(
      "A client component (\"use client\") imports from server/ only the isomorphic folder (and types).",
      "'{{specifier}}' runs on the server, and this is a client component (\"use client\"): import from server/isomorphic/ only, or type-only.",
      ({ target, typeOnly, hasUseClient }) => !typeOnly && isServerFile(target) && !isIsomorphic(target) && hasUseClient(),
    ),
    "isomorphic-is-self-contained": importRule(
      "server/isomorphic/ imports only itself and pure packages, so the browser can load it.",
      "'{{specifier}}' is outside server/isomorphic/: isomorphic modules import only each other and " + ISOMORPHIC_PACKAGES.join(", ") + ".",
      ({ target }) => (target.kind === "package" ? !ISOMORPHIC_PACKAGES.includes(target.name) : !isIsomorphic(target)),
    ),
  },
};
