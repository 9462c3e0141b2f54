// Runs every test/**/*.test.ts with Node's own test runner (TypeScript through tsx).
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

function find(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    // Installed harnesses (test/e2e/node_modules) are not our tests, and may hold dangling links.
    if (entry.name === "node_modules") continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) find(p, out);
    else if (entry.isFile() && entry.name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

// Arguments may name test files or folders of them.
const only = process.argv.slice(2).flatMap((p) => (statSync(p).isDirectory() ? find(p) : [p]));
const files = only.length ? only : find("test");
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...files], {
  stdio: "inherit",
});
process.exit(r.status ?? 1);
