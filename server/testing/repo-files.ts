// The repository's files as git sees them (tracked and new, ignored ones left out), for structure checks.
import { execFileSync } from "node:child_process";
import { REPO_ROOT } from "./import-graph";

export function repoFiles(): string[] {
  return execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" })
    .split("\n")
    .filter(Boolean);
}
