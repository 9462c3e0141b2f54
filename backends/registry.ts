// The Node backend registry: probes which TensorFlow.js backends work here, in the order
// (tfjs-node-gpu, tfjs-node, wasm, cpu), picks one (or the one asked for) and explains why, as a
// plain JSON BackendChoice. Native backends are never dependencies of ResGraph: they are loaded
// only from where the user installed them (a folder they name, or the workspace's node_modules).
// The profiler core (src/profile) is handed the resulting `tf` and never picks one itself.

import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import * as tfCore from "@tensorflow/tfjs-core";
// A named import, not a bare one: the package says it has no side effects, and bundlers would
// otherwise drop the import that registers the backend.
import { version_cpu } from "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import type { BackendChoice, BackendName, BackendProbe } from "../src/profile/backend-choice";
import { NODE_BACKENDS } from "../src/profile/backend-choice";
import type { Tf } from "../src/profile/tf-api";

export interface RegistryOptions {
  /** Folder holding (or inside) a node_modules with tfjs-node / tfjs-node-gpu (setting, --backends-dir). */
  backendsDir?: string;
  /** The workspace root, whose own node_modules is searched next; default: the current directory. */
  workspaceDir?: string;
  /** Folder with tfjs-backend-wasm's .wasm files; default: found next to the installed package. */
  wasmDir?: string;
}

export interface LoadedBackend {
  tf: Tf;
  choice: BackendChoice;
}

const NATIVE_PACKAGES = { "node-gpu": "@tensorflow/tfjs-node-gpu", node: "@tensorflow/tfjs-node" } as const;

const HERE = typeof __dirname === "string" ? __dirname : process.cwd();

/** Where a native package resolves from the user's folders, or the folders searched. */
function resolveNative(pkg: string, opts: RegistryOptions): { path: string } | { searched: string[] } {
  const dirs = [opts.backendsDir, opts.workspaceDir ?? process.cwd()].filter((d): d is string => !!d);
  for (const dir of dirs) {
    try {
      return { path: createRequire(join(dir, "noop.js")).resolve(pkg) };
    } catch {
      // not installed there; try the next folder
    }
  }
  return { searched: dirs };
}

/** The .wasm binaries' folder: the option, else next to the installed tfjs-backend-wasm. */
export function findWasmDir(opts: RegistryOptions = {}): string | undefined {
  const candidates: string[] = [];
  if (opts.wasmDir) candidates.push(opts.wasmDir);
  for (const from of [HERE, process.cwd()]) {
    try {
      candidates.push(join(dirname(createRequire(join(from, "noop.js")).resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist"));
    } catch {
      // not resolvable from there
    }
  }
  return candidates.find((d) => existsSync(join(d, "tfjs-backend-wasm-simd.wasm")) || existsSync(join(d, "tfjs-backend-wasm.wasm")));
}

type Attempt = { ok: true; tf: Tf; device: string; reason: string } | { ok: false; status: "absent" | "unusable"; reason: string; tf?: Tf };

/** Loads tfjs-node(-gpu) from the user's folders; the GPU one must really see a GPU. */
async function tryNative(name: "node-gpu" | "node", opts: RegistryOptions): Promise<Attempt> {
  const pkg = NATIVE_PACKAGES[name];
  const where = resolveNative(pkg, opts);
  if ("searched" in where) {
    return {
      ok: false,
      status: "absent",
      reason: `${pkg} is not installed in ${where.searched.join(" or ")}; install it there (npm i ${pkg}@4.22.0) or name its folder with --backends-dir / the resgraph.profile.backendsDir setting.`,
    };
  }
  let tf: Tf;
  try {
    tf = createRequire(where.path)(where.path) as Tf;
    await (tf as unknown as typeof tfCore).setBackend("tensorflow");
    await tf.ready();
  } catch (e) {
    return { ok: false, status: "unusable", reason: `${pkg} is installed (${where.path}) but failed to load: ${e instanceof Error ? e.message : String(e)}.` };
  }
  if (name === "node") return { ok: true, tf, device: "CPU via libtensorflow (tfjs-node)", reason: `${pkg} loaded from ${where.path}.` };
  const backend = (tf as unknown as typeof tfCore).backend() as unknown as { isUsingGpuDevice?: boolean };
  if (backend.isUsingGpuDevice !== true) {
    return {
      ok: false,
      status: "unusable",
      tf,
      reason:
        `${pkg} loaded but TensorFlow found no usable GPU, so it would run on the CPU; tfjs-node-gpu 4.22 is built on ` +
        `libtensorflow 2.9.1 and needs CUDA 11.2 and cuDNN 8.1 (a newer CUDA silently falls back to the CPU).`,
    };
  }
  return { ok: true, tf, device: "NVIDIA GPU via CUDA (tfjs-node-gpu, libtensorflow 2.9.1)", reason: `${pkg} loaded from ${where.path} and uses the GPU.` };
}

async function tryWasm(opts: RegistryOptions): Promise<Attempt> {
  const dir = findWasmDir(opts);
  if (!dir) return { ok: false, status: "absent", reason: "The tfjs-backend-wasm .wasm files were not found; reinstall ResGraph's dependencies (npm ci)." };
  try {
    // Threads only start in a cross-origin-isolated page; under Node the single-threaded SIMD binary runs.
    tfCore.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    setWasmPaths(dir.endsWith("/") ? dir : dir + "/");
    if (!(await tfCore.setBackend("wasm"))) throw new Error("setBackend('wasm') returned false");
    await tfCore.ready();
    const simd = await tfCore.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    return { ok: true, tf: tfCore as unknown as Tf, device: `WebAssembly (${simd ? "SIMD" : "no SIMD"}, 1 thread)`, reason: `The wasm backend runs here${simd ? " with SIMD" : ""}; its threads do not start under Node.` };
  } catch (e) {
    return { ok: false, status: "unusable", reason: `The wasm backend failed to start: ${e instanceof Error ? e.message : String(e)}.` };
  }
}

async function tryCpu(): Promise<Attempt> {
  await tfCore.setBackend("cpu");
  await tfCore.ready();
  return { ok: true, tf: tfCore as unknown as Tf, device: "CPU, plain JavaScript (tfjs-backend-cpu)", reason: `The plain JavaScript backend (${version_cpu}) always works, and is the slowest.` };
}

function attempt(name: BackendName, opts: RegistryOptions): Promise<Attempt> {
  if (name === "node-gpu" || name === "node") return tryNative(name, opts);
  if (name === "wasm") return tryWasm(opts);
  if (name === "cpu") return tryCpu();
  return Promise.resolve({ ok: false, status: "unusable", reason: `The ${name} backend runs only in the webview (a browser), not in Node.` });
}

/**
 * Picks a backend: the one asked for (an error naming what to do if it cannot run), or the first
 * that works in the order node-gpu, node, wasm, cpu. Every probe's outcome is in `choice.probes`.
 */
export async function loadBackend(requested?: BackendName, opts: RegistryOptions = {}): Promise<LoadedBackend> {
  // The banner tfjs prints about tfjs-node goes to the console; the choice explains backends instead.
  tfCore.env().set("PROD", true);
  const probes: BackendProbe[] = [];
  const order: BackendName[] = requested ? [requested] : [...NODE_BACKENDS];
  let nativeLoaded = false;
  for (const name of order) {
    // Two native bindings in one process conflict: once one has loaded, the other is not tried.
    if (name === "node" && nativeLoaded) {
      probes.push({ backend: name, status: "not-tried", reason: "tfjs-node-gpu's library is already loaded in this process; tfjs-node was not loaded beside it." });
      continue;
    }
    const a = await attempt(name, opts);
    if (name === "node-gpu" && (a.ok || a.tf)) nativeLoaded = true;
    if (a.ok) {
      probes.push({ backend: name, status: "picked", reason: a.reason });
      for (const rest of order.slice(order.indexOf(name) + 1)) {
        probes.push({ backend: rest, status: "not-tried", reason: `${name} was picked first.` });
      }
      const tfBackend = a.tf.getBackend();
      return {
        tf: a.tf,
        choice: { picked: name, tfBackend, device: a.device, method: name === "node-gpu" ? "in-pass-readback" : "in-pass", requested: requested ?? null, probes },
      };
    }
    probes.push({ backend: name, status: a.status, reason: a.reason });
  }
  const detail = probes.map((p) => `${p.backend}: ${p.reason}`).join(" ");
  throw new Error(requested ? `The ${requested} backend cannot run here. ${detail}` : `No TensorFlow.js backend could start. ${detail}`);
}
