// `npm start`: build, package the extension and open examples/ in VS Code with it installed —
// the user's own VS Code when `code` is on the PATH, otherwise code-server (VS Code in the
// browser, the same one the end-to-end test uses), installed on first use, at a printed
// http://127.0.0.1:PORT address. Ctrl+C stops it.
// Flags: --check   start, wait until the editor answers, then stop (a smoke test; never waits);
//        --browser use code-server even when `code` is on the PATH;  --port N.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const check = args.includes("--check");
const forceBrowser = args.includes("--browser");
const portArg = args.indexOf("--port");
const port = portArg >= 0 ? Number(args[portArg + 1]) : undefined;
const vsix = join(root, "resgraph.vsix");
const examples = join(root, "examples");

function run(command, commandArgs, what) {
  console.log(`start: ${what}…`);
  const r = spawnSync(command, commandArgs, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`start: ${what} failed (exit ${r.status ?? r.signal}).`);
    process.exit(1);
  }
}

function onPath(name) {
  return spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).status === 0;
}

run(process.execPath, [join(root, "scripts", "build.mjs")], "building");
// Same flags as `npm run package`: the README's relative screenshot links stay relative (they ship in
// the .vsix), so vsce needs no repository URL.
run(
  join(root, "node_modules", ".bin", "vsce"),
  ["package", "--no-dependencies", "--no-rewrite-relative-links", "-o", vsix],
  "packaging resgraph.vsix",
);

if (!forceBrowser && onPath("code")) {
  run("code", ["--install-extension", vsix, "--force"], "installing the extension into your VS Code");
  run("code", [examples], "opening examples/ in VS Code");
  console.log("start: VS Code is open on examples/ with ResGraph installed. Open torch_resnet.py and click 'Show graph'.");
  process.exit(0);
}

const { codeServerMissing, launchCodeServer } = await import("../test/e2e/code-server.mjs");
if (codeServerMissing()) {
  console.log("start: `code` is not on the PATH; installing code-server (VS Code in the browser) for the first time, 1-3 minutes…");
  run("bash", [join(root, "test", "e2e", "setup.sh")], "installing code-server");
}
const server = await launchCodeServer({ vsix, folder: examples, port, log: (m) => console.log(`start: ${m}`) });
const url = `${server.url}/?folder=${encodeURIComponent(examples)}`;
console.log(`\nResGraph is running in VS Code (code-server) at:\n\n    ${url}\n\nOpen it in a browser, open torch_resnet.py and click 'Show graph'. Ctrl+C stops it.\n`);
const stop = () => {
  server.stop();
  process.exit(0);
};
if (check) stop();
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
// Keep running until stopped; code-server's own exit ends us too.
server.child.on("exit", (code) => {
  console.log(`start: code-server exited (${code}).`);
  process.exit(code ?? 0);
});
