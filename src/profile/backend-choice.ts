// What a backend registry (backends/ for Node, the webview for webgl/webgpu) reports about the
// backend it picked: plain JSON, printed by the CLI and stored with results, with a reason for
// every backend it considered.

import type { TimingMethod } from "./timing";

/** Backend names users pass (`--backend`, settings), in the order a registry prefers them. */
export const NODE_BACKENDS = ["node-gpu", "node", "wasm", "cpu"] as const;
export type BackendName = (typeof NODE_BACKENDS)[number] | "webgpu" | "webgl";

export type ProbeStatus = "picked" | "available" | "absent" | "unusable" | "not-tried";

export interface BackendProbe {
  backend: BackendName;
  status: ProbeStatus;
  /** A sentence: why it was picked, why not, or what to install. */
  reason: string;
}

export interface BackendChoice {
  picked: BackendName;
  /** The tfjs backend name it runs as: "tensorflow", "wasm", "cpu", "webgl", "webgpu". */
  tfBackend: string;
  /** What runs the kernels, in words. */
  device: string;
  method: TimingMethod;
  /** What the user asked for (`--backend`, a setting), or null for the automatic choice. */
  requested: BackendName | null;
  probes: BackendProbe[];
}

export function isBackendName(s: string): s is BackendName {
  return (NODE_BACKENDS as readonly string[]).includes(s) || s === "webgpu" || s === "webgl";
}
