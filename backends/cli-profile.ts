// Node entry of `resgraph profile` (bundled to dist/cli-profile.js): wires the real process, the
// file system, the analyzer and the backend registry into runProfileCommand.

import { readFileSync, writeFileSync } from "node:fs";
import { analyze } from "../src/analyze";
import { runProfileCommand } from "../src/cli/profile-command";
import { loadBackend } from "./registry";

export function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  return runProfileCommand(
    argv,
    {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      readFile: (path) => readFileSync(path, "utf8"),
      writeFile: (path, text) => writeFileSync(path, text, "utf8"),
      columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    },
    { analyze, loadBackend: (name, opts) => loadBackend(name, { backendsDir: opts?.backendsDir ?? process.env.RESGRAPH_BACKENDS_DIR }) },
  );
}

main().then((code) => (process.exitCode = code));
