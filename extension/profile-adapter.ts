// The seam between the extension and the profiler (src/profile + the Node backend registry in
// backends/, written separately). The extension only talks to `Profiler`; until the backend
// registry exists `loadProfiler()` returns null and the commands say so in one clear sentence.
// LEAD: when backends/ exports its registry, implement `loadProfiler` with it (run profileModel in
// the analysis worker so timing never blocks the extension host) and add a protocol message that
// carries the ProfileResult to the webview so latencies appear on the graph.

import type { GraphIR } from "../src/ir/types";

export interface ProfileProgressReport {
  message: string;
  /** Fraction of the whole job done, 0..1. */
  fraction: number;
}

export interface ProfileRequest {
  ir: GraphIR;
  /** A backend name, or null for the first available one in `backendOrder`. */
  backend: string | null;
  backendOrder: string[];
  repetitions: number;
  signal: AbortSignal;
  onProgress(p: ProfileProgressReport): void;
}

export interface ProfileOutcome {
  backend: string;
  device: string;
  /** Median latency per node id, milliseconds. */
  nodeLatencyMs: Record<string, number>;
  totalMs: number;
}

export interface Profiler {
  /** Backends usable on this machine, in preference order. */
  availableBackends(order: string[]): Promise<string[]>;
  profile(request: ProfileRequest): Promise<ProfileOutcome>;
}

/** Said when the profiler is not part of this build (also asserted by the end-to-end test). */
export const PROFILER_MISSING_MESSAGE =
  "ResGraph: profiling is not available in this build yet (no profiler backend is integrated); the graph still shows params and MACs.";

/** The profiler, or null while no backend registry is integrated. */
export function loadProfiler(): Profiler | null {
  return null;
}
