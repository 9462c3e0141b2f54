// Entry of the profiler bundle (dist/webview-profiler.js): TensorFlow.js with its browser backends
// (webgpu, webgl, wasm, cpu), kept out of the main webview bundle so the graph opens without parsing
// ~1.3 MB of tfjs. Loaded on demand (webview/profiler-loader.ts); it publishes a ProfilerApi on
// `window` and the main bundle drives it. WebGL and WebGPU reach the user's own GPU (any vendor);
// they are timed per kernel with `tf.profile` (GPU timer queries where the browser has them).

import * as tf from "@tensorflow/tfjs-core";
// Named imports, not bare ones: the packages claim no side effects, and a bare import would be
// dropped by the bundler together with the backend registration it performs.
import { version_webgl } from "@tensorflow/tfjs-backend-webgl";
import { webgpu_util } from "@tensorflow/tfjs-backend-webgpu";
import { version_cpu } from "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import type { GraphIR } from "../src/ir/types";
import { profileModel, ProfileError, type Tf, type TimingMethod } from "../src/profile";
import type { WebviewBackend } from "../src/protocol";
import { PROFILER_GLOBAL, WASM_BASE_META, type ProfileRequest, type ProfilerApi, type ProfilerHooks, type ProfilerOutcome } from "./profiler-api";

void [version_webgl, webgpu_util, version_cpu];

type Started = { ok: true; device: string; method?: TimingMethod } | { ok: false; message: string };

/** Switches tfjs to `backend` and says what runs it, or why it cannot start here. */
async function start(backend: WebviewBackend): Promise<Started> {
  try {
    if (backend === "webgpu" && !("gpu" in navigator)) {
      return { ok: false, message: "WebGPU is not available in this webview (navigator.gpu is missing); use webgl." };
    }
    if (backend === "wasm") {
      const base = document.querySelector<HTMLMetaElement>(`meta[name="${WASM_BASE_META}"]`)?.content;
      if (!base) return { ok: false, message: "The wasm backend needs its .wasm files, which this page does not carry; use webgl here, or `resgraph profile --backend wasm`." };
      tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
      setWasmPaths(base.endsWith("/") ? base : `${base}/`);
    }
    if (!(await tf.setBackend(backend))) return { ok: false, message: `The ${backend} backend did not start in this webview.` };
    await tf.ready();
    // WebGPU without timestamp queries reports every kernel as 0 ms: time each layer with a one-element
    // read-back instead (its own cost measured and subtracted), as for tfjs-node on CUDA.
    const noTimestamps = backend === "webgpu" && (tf.backend() as unknown as { supportTimestampQuery?: boolean }).supportTimestampQuery !== true;
    return { ok: true, device: describeDevice(backend), method: noTimestamps ? "in-pass-readback" : undefined };
  } catch (e) {
    return { ok: false, message: `The ${backend} backend failed to start: ${e instanceof Error ? e.message : String(e)}.` };
  }
}

/** The GPU's name as the browser reports it, and whether kernel times come from GPU timers. */
function describeDevice(backend: WebviewBackend): string {
  const b = tf.backend() as unknown as {
    gpgpu?: { gl: WebGL2RenderingContext };
    adapterInfo?: { vendor?: string; architecture?: string };
    supportTimestampQuery?: boolean;
  };
  if (backend === "webgl") {
    const gl = b.gpgpu?.gl;
    const info = gl?.getExtension("WEBGL_debug_renderer_info");
    const renderer = gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : "unknown GPU";
    const timer = tf.env().getNumber("WEBGL_DISJOINT_QUERY_TIMER_EXTENSION_RELIABLE") > 0;
    return `WebGL 2 on ${renderer}${timer ? " (GPU timer queries)" : " (no GPU timer: kernel times include a read-back)"}`;
  }
  if (backend === "webgpu") {
    const a = b.adapterInfo;
    const name = [a?.vendor, a?.architecture].filter((s) => s).join(" ") || "unknown adapter";
    return `WebGPU on ${name}${b.supportTimestampQuery ? " (timestamp queries)" : " (no timestamp queries: layers timed with a read-back)"}`;
  }
  if (backend === "wasm") return "WebAssembly in the webview (1 thread)";
  return "CPU, plain JavaScript in the webview (tfjs-backend-cpu)";
}

async function run(ir: GraphIR, request: ProfileRequest, hooks: ProfilerHooks): Promise<ProfilerOutcome> {
  hooks.onProgress("load", 0, 1);
  const started = await start(request.backend);
  if (!started.ok) return { kind: "failed", code: "unavailable", message: started.message };
  hooks.onProgress("load", 1, 1);
  try {
    const result = await profileModel(tf as unknown as Tf, ir, {
      batch: request.batch,
      warmup: request.warmup,
      runs: request.runs,
      device: started.device,
      method: started.method,
      signal: hooks.signal,
      onProgress: (p) => hooks.onProgress(p.phase, Math.min(p.completed, p.total), p.total),
    });
    return { kind: "ok", result };
  } catch (e) {
    if (hooks.signal.aborted || (e instanceof Error && e.name === "AbortError")) return { kind: "failed", code: "cancelled", message: "The profile was cancelled." };
    if (e instanceof ProfileError) return { kind: "failed", code: e.code === "cancelled" ? "cancelled" : e.code, message: e.message };
    return { kind: "failed", code: "failed", message: `Profiling ${ir.modelName} on ${request.backend} failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

const api: ProfilerApi = { tfjsVersion: tf.version_core, run };
(window as unknown as Record<string, unknown>)[PROFILER_GLOBAL] = api;
