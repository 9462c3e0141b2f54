// `npm run bench`: runs the analyzer benchmark through tsx (it imports the TypeScript sources
// directly, so the numbers are the analyzer's, not a bundle's). Extra arguments pass through:
//   node bench/run.mjs [--runs N] [--filter SUBSTRING]
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const r = spawnSync(
  process.execPath,
  ["--import", "tsx", join(root, "bench", "analyzer.bench.ts"), ...process.argv.slice(2)],
  { stdio: "inherit", cwd: root },
);
// Render timings in headless chromium (skips itself when /usr/bin/chromium is missing).
const render = spawnSync(process.execPath, ["--import", "tsx", join(root, "bench", "render.bench.mjs")], { stdio: "inherit", cwd: root });
// Per-layer profiling with TensorFlow.js (wasm, cpu; tfjs-node when installed).
const profile = spawnSync(process.execPath, ["--import", "tsx", join(root, "bench", "profile.bench.ts")], { stdio: "inherit", cwd: root });
// Opening saved models (model.json, .keras, .h5, .onnx) into the IR.
const formats = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", join(root, "bench", "formats.bench.ts")], { stdio: "inherit", cwd: root });
process.exit((r.status ?? 1) || (render.status ?? 1) || (profile.status ?? 1) || (formats.status ?? 1));
