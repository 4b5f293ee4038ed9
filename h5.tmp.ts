import { repoFiles } from "./server/testing/repo-files";
import { referencesIn, referenceExists, foldersOf } from "./server/testing/doc-references";
const files = repoFiles();
const folders = foldersOf(files);
let n = 0;
for (const f of files) for (const r of referencesIn(f)) { n++; if (!referenceExists(r.path, files, folders)) console.log(`${r.file}:${r.line} ${r.path}`); }
console.log("refs", n);
