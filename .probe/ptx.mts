const { prismaClient } = await import("../server/db/client");
const p = prismaClient();
for (let i = 0; i < 500; i++) await p.$transaction(async () => null);
const t0 = performance.now();
for (let i = 0; i < 5000; i++) await p.$transaction(async () => null);
console.log("ms/op", (performance.now() - t0) / 5000);
process.exit(0);
