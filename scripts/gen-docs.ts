// `npm run docs`: rewrites the generated part of docs/analyzer.md (the framework names the stubs
// model) from the stubs themselves.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withSupportLists } from "./support-lists";

const file = join(__dirname, "..", "docs", "analyzer.md");
const before = readFileSync(file, "utf8");
const after = withSupportLists(before);
writeFileSync(file, after);
console.log(after === before ? "docs/analyzer.md is current." : "Updated docs/analyzer.md.");
