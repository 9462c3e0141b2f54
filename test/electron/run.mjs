// Desktop VS Code end-to-end run with the standard @vscode/test-electron harness, for contributors
// whose machines can download VS Code (this one cannot: the tests that run here use code-server, see
// test/e2e/). Usage: npm run build && npm run test:electron
import { runTests } from "@vscode/test-electron";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
try {
  await runTests({
    version: "1.100.0",
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, "test", "electron", "suite.cjs"),
    launchArgs: [join(root, "examples"), "--disable-extensions", `--user-data-dir=${mkdtempSync(join(tmpdir(), "resgraph-vscode-"))}`],
  });
} catch (e) {
  console.error(`Desktop VS Code tests failed or could not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
