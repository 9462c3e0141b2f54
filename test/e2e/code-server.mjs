// Launching code-server (VS Code 1.100 in the browser) for the end-to-end test and `npm start`:
// a fresh user-data and extensions dir per run, settings that switch off the start page,
// telemetry, updates and workspace trust, the .vsix installed, bound to 127.0.0.1 on a free port,
// started in its own process group (so stopping it stops everything it spawned).
// Plain ESM JavaScript so both the TypeScript test and scripts/start.mjs import it.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const E2E_DIR = dirname(fileURLToPath(import.meta.url));
export const CODE_SERVER_ENTRY = join(E2E_DIR, "node_modules", "code-server", "out", "node", "entry.js");

/** Why code-server cannot run here, or false when it can. */
export function codeServerMissing() {
  return existsSync(CODE_SERVER_ENTRY) ? false : `code-server is not installed (run bash test/e2e/setup.sh)`;
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** User settings for a quiet, predictable editor. */
export const TEST_SETTINGS = {
  "workbench.startupEditor": "none",
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "security.workspace.trust.enabled": false,
  "git.enabled": false,
  "editor.codeLens": true,
  "editor.minimap.enabled": false,
  "files.autoSave": "off",
  "window.commandCenter": false,
  "chat.commandCenter.enabled": false,
  "workbench.colorTheme": "Default Light Modern",
};

/**
 * Installs `vsix` into a fresh profile and starts code-server on `folder`.
 * Returns { url, port, stop(), dirs }; `stop` kills the whole process group and removes the dirs
 * (unless `keepDirs`).
 */
export async function launchCodeServer({ vsix, folder, port, settings = TEST_SETTINGS, log = () => {}, keepDirs = false }) {
  const base = mkdtempSync(join(tmpdir(), "resgraph-code-server-"));
  const userData = join(base, "user-data");
  const extensions = join(base, "extensions");
  mkdirSync(join(userData, "User"), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(join(userData, "User", "settings.json"), JSON.stringify(settings, null, 2));
  const chosenPort = port ?? (await freePort());
  const config = join(base, "config.yaml");
  writeFileSync(config, `bind-addr: 127.0.0.1:${chosenPort}\nauth: none\ncert: false\n`);
  const common = ["--config", config, "--user-data-dir", userData, "--extensions-dir", extensions];

  if (vsix) {
    log(`Installing ${vsix} into code-server…`);
    const installed = spawnSync(process.execPath, [CODE_SERVER_ENTRY, ...common, "--install-extension", vsix, "--force"], { encoding: "utf8" });
    if (installed.status !== 0) throw new Error(`code-server could not install ${vsix}: ${installed.stderr || installed.stdout}`);
  }

  const child = spawn(
    process.execPath,
    [CODE_SERVER_ENTRY, ...common, "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust", "--disable-getting-started-override", folder],
    { detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, VSCODE_CLI: undefined } },
  );
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const stop = () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
    if (!keepDirs) rmSync(base, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${chosenPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error(`code-server did not answer ${url}/healthz within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, port: chosenPort, stop, output: () => output, dirs: { base, userData, extensions }, child };
}
