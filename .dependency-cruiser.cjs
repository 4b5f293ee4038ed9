// `npm run check:cycles` (a step of `npm test`): no import cycle between the console's modules.
// A cycle makes module evaluation order decide what is defined (an import can still be undefined
// when the other module runs), and it means two modules are one in disguise. Break one by moving
// the shared piece down into a module both import, or by inverting the dependency (the lower module
// announces, the higher one subscribes — server/tenancy/concurrency.ts onTenantBusy).
//
// Every kind of import counts: static, dynamic (`await import()`) and type-only. Type-only imports
// vanish at runtime, but a type cycle still ties the two modules' designs together and is always
// cheap to break (move the type down), so it is not excluded.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No import cycle between modules (see the header of .dependency-cruiser.cjs).",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // The generated Prisma client is not ours to structure.
    exclude: { path: "(^|/)(node_modules|\\.next|server/db/generated)/" },
    // Keeps type-only imports in the graph (see the header).
    tsPreCompilationDeps: true,
    // Resolves the `@/*` paths of tsconfig.json.
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".d.ts", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};
