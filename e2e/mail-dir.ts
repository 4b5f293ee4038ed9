// Where the e2e server (server/cli/e2e-server.ts) writes the e-mail its SMTP server receives: one
// folder per e2e port, so two checkouts' suites do not read each other's mail.
import { tmpdir } from "node:os";
import path from "node:path";

export function e2eMailDir(): string {
  return path.join(tmpdir(), `credo-e2e-mail-${process.env.E2E_PG_PORT ?? "3100"}`);
}
