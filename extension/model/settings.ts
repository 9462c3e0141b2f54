// The `resgraph.*` settings, parsed from whatever the configuration holds (users edit settings.json
// by hand, so every value is checked). Pure: the host passes a `get(key)` reading VS Code's config.

export type HeatMetric = "none" | "macs" | "params" | "latency" | "memory";
export const HEAT_METRICS: readonly HeatMetric[] = ["none", "macs", "params", "latency", "memory"];

export interface ResGraphSettings {
  /** Input shape per framework, batch included ("1,3,224,224"); null = let the analyzer infer. */
  inputShape: { pytorch: number[][] | null; keras: number[][] | null };
  /** Entry expression used when a file has several candidates; null = the analyzer's first. */
  defaultEntry: string | null;
  backendOrder: string[];
  /** Timed runs per profile (`profiling.repetitions`). */
  repetitions: number;
  /** Untimed runs before them (`profiling.warmup`; not declared in package.json yet, read all the same). */
  warmup: number;
  heatMetric: HeatMetric;
  followCursor: boolean;
  codeLens: boolean;
  /** Milliseconds between the last edit and the re-analysis. */
  debounceMs: number;
}

/** The user's GPU first (WebGPU, then WebGL), then the page's CPU. */
export const DEFAULT_BACKEND_ORDER = ["webgpu", "webgl", "wasm", "cpu"];
export const DEFAULT_WARMUP = 2;

/**
 * "1,3,224,224" -> [[1,3,224,224]]; several inputs separated by ";" ("1,3,32,32; 1,10").
 * Returns null for an empty string and an error sentence for anything malformed.
 */
export function parseInputShape(text: string): number[][] | null | { error: string } {
  const trimmed = text.trim().replace(/^\[|\]$/g, "");
  if (trimmed === "") return null;
  const shapes: number[][] = [];
  for (const part of trimmed.split(/;|\]\s*,\s*\[/)) {
    const dims = part.replace(/[[\]()x×]/g, ",").split(",").map((s) => s.trim()).filter((s) => s !== "");
    if (dims.length === 0) return { error: `The input shape '${text}' has an empty shape.` };
    const nums = dims.map(Number);
    if (nums.some((n) => !Number.isInteger(n) || n <= 0)) {
      return { error: `The input shape '${text}' must list positive whole numbers, e.g. 1,3,224,224.` };
    }
    shapes.push(nums);
  }
  return shapes;
}

export function readSettings(get: (key: string) => unknown, warn: (message: string) => void = () => {}): ResGraphSettings {
  const shape = (key: string): number[][] | null => {
    const v = get(key);
    if (typeof v !== "string") return null;
    const parsed = parseInputShape(v);
    if (parsed && !Array.isArray(parsed)) {
      warn(`Setting resgraph.${key}: ${parsed.error}`);
      return null;
    }
    return parsed;
  };
  const entry = get("defaultEntry");
  const order = get("profiling.backendOrder");
  const reps = get("profiling.repetitions");
  const warmup = get("profiling.warmup");
  const heat = get("heatMetric");
  const debounce = get("analysis.debounceMs");
  return {
    inputShape: { pytorch: shape("inputShape.pytorch"), keras: shape("inputShape.keras") },
    defaultEntry: typeof entry === "string" && entry.trim() !== "" ? entry.trim() : null,
    backendOrder:
      Array.isArray(order) && order.length > 0 && order.every((b) => typeof b === "string") ? (order as string[]) : DEFAULT_BACKEND_ORDER,
    repetitions: typeof reps === "number" && Number.isInteger(reps) && reps >= 1 && reps <= 10_000 ? reps : 20,
    warmup: typeof warmup === "number" && Number.isInteger(warmup) && warmup >= 0 && warmup <= 10_000 ? warmup : DEFAULT_WARMUP,
    heatMetric: HEAT_METRICS.includes(heat as HeatMetric) ? (heat as HeatMetric) : "macs",
    followCursor: get("followCursor") !== false,
    codeLens: get("codeLens.enabled") !== false,
    debounceMs: typeof debounce === "number" && debounce >= 0 && debounce <= 10_000 ? debounce : 300,
  };
}

/** "1,3,224,224" for an input-shape prompt's default value. */
export function formatInputShape(shapes: readonly (readonly number[])[]): string {
  return shapes.map((s) => s.join(",")).join("; ");
}
