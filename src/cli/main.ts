// CLI entry point (bundled to dist/cli.js, started by bin/resgraph.js): wires the real process,
// file system and analyzer into runCli.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { analyze } from "../analyze";
import { runCli } from "./run";
import packageJson from "../../package.json";

const code = runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFileSync(path, "utf8"),
  analyze,
  version: packageJson.version,
  columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  writeFile: (path, text) => writeFileSync(path, text, "utf8"),
  // dist/cli.js sits next to dist/webview.js; the stylesheet lives in media/ beside dist/.
  webviewAssets: () => ({
    bundle: readFileSync(join(__dirname, "webview.js"), "utf8"),
    css: readFileSync(join(__dirname, "..", "media", "webview.css"), "utf8"),
  }),
});
process.exitCode = code;
